import CLibPQ
import Foundation

extension DatabaseConnection {
    /// Runs one parameterized statement and returns its rows, copied out of
    /// libpq (the `PGresult` is freed before this returns).
    ///
    /// - Parameters:
    ///   - sql: one statement with `$1`, `$2`… placeholders. Values never go into the text.
    ///   - parameters: one value per placeholder, sent in PostgreSQL's text
    ///     format with no declared type (the server infers it from context, so
    ///     add a cast such as `$1::timestamptz` where there is none); nil is NULL.
    /// - Throws: `DatabaseError`: `.serverError` with SQLSTATE and names,
    ///   `.connectionLost` if the connection broke, `.invalidArgument` for a
    ///   parameter containing a NUL byte.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> [DatabaseRow] {
        try withResult(sql, parameters) { DatabaseRow.rows(from: $0, server: serverDescription) }
    }

    /// Runs one parameterized statement and returns the number of rows it
    /// inserted, updated, deleted or copied (0 for statements that report none).
    /// Parameters and errors are as for `query(_:_:)`.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
        try withResult(sql, parameters) { result in
            Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs a script of several `;`-separated statements with `PQexec`, with
    /// no parameters. For trusted SQL files only (migrations, fixtures): never
    /// build its text from data. Statements run in order and stop at the first
    /// error; outside a transaction the script is one implicit transaction.
    public func executeScript(_ sql: String) throws {
        let conn = try liveHandle()
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT { throw abandonCopy(status, sql) }
        try check(
            status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY,
            result: result, query: sql)
    }

    /// Executes `sql` with `parameters` via `PQexecParams`, checks the status,
    /// and hands the `PGresult*` to `body`; frees it afterwards.
    func withResult<T>(
        _ sql: String, _ parameters: [(any PostgresEncodable)?], _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        let conn = try liveHandle()
        let texts = try parameterTexts(parameters)
        logger?.trace("query", metadata: ["sql": "\(sql)", "parameters": "\(texts.count)"])
        let result = withCStrings(texts) { values in
            PQexecParams(conn, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT { throw abandonCopy(status, sql) }
        try check(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK, result: result, query: sql)
        guard let result else { throw DatabaseError(.clientError, "libpq returned no result", query: sql) }
        return try body(result)
    }

    /// Runs `body`, adding this connection's server to a `DatabaseError`
    /// thrown without one (identifier checks, encoding), so every message says where.
    func namingServer<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw error.on(serverDescription)
        }
    }

    /// Text forms of the parameters, refusing NUL bytes: libpq takes C
    /// strings, so a NUL would silently cut the value short.
    func parameterTexts(_ parameters: [(any PostgresEncodable)?]) throws -> [String?] {
        try parameters.enumerated().map { index, value in
            guard let text = value?.postgresText else { return nil }
            if text.utf8.contains(0) {
                throw DatabaseError(
                    .invalidArgument,
                    "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                    server: serverDescription)
            }
            return text
        }
    }

    /// Leaves a COPY state a plain statement got into, so the connection
    /// stays usable: refuses COPY IN, and reads and discards COPY OUT data.
    /// Returns the error to throw.
    private func abandonCopy(_ status: ExecStatusType, _ sql: String) -> DatabaseError {
        let error = DatabaseError(
            .invalidArgument, "COPY is only supported through copy(into:columns:rows:)",
            server: serverDescription, query: sql)
        guard let conn = try? liveHandle() else { return error }
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(conn, "COPY FROM STDIN is only supported through copy(into:columns:rows:)")
        } else {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(conn, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        }
        while let result = PQgetResult(conn) { PQclear(result) }
        return error
    }
}
