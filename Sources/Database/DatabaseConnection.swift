import CLibPQ
import Foundation
import Logging

/// One connection to a PostgreSQL server, over libpq.
///
/// Not thread-safe: a libpq connection carries one conversation at a time, so
/// use a connection from one task at a time (give each worker its own). It is
/// `@unchecked Sendable` only so that it can be *moved* between tasks, e.g.
/// created in one and handed to another; it has no lock and must not be shared.
///
/// Every call blocks the calling thread until the server answers. The
/// connection owns its `PGconn*`; `close()` or deinit frees it, and every
/// `PGresult*` is freed before the call that made it returns.
///
/// Each session is set to `TimeZone=UTC`, `DateStyle=ISO`, `bytea_output=hex`
/// and shortest-exact float output, so that decoding is unambiguous.
public final class DatabaseConnection: @unchecked Sendable {
    /// The `PGconn*`; nil once closed.
    private var handle: OpaquePointer?
    /// Host name, IP address or socket directory the connection uses (libpq's `PQhost`).
    public let host: String
    /// Port (also names the socket file `.s.PGSQL.<port>`).
    public let port: String
    /// Database name.
    public let database: String
    /// Role name the session authenticated as.
    public let user: String
    /// Receives connection events at debug level and server notices; nil for silence.
    public let logger: Logger?
    /// Keeps the notice callback's context alive as long as the `PGconn`.
    private let notices: NoticeSink
    /// How many `transaction` calls are open, so nested ones use savepoints.
    var transactionDepth = 0

    /// Opens a connection and configures the session.
    ///
    /// - Parameter url: a `postgresql://user@host:port/db?host=/socket/dir` URL
    ///   or a `key=value` connection string; both are parsed by libpq. Passwords
    ///   in it never appear in errors or logs.
    /// - Throws: `DatabaseError` with code `.connectionFailed` naming the host
    ///   (or socket directory), port and database when the server cannot be reached.
    public init(url: String, logger: Logger? = nil) throws {
        // Later keywords win over what the expanded URL says: we always speak UTF-8.
        let keywords: [String?] = ["dbname", "client_encoding", "fallback_application_name", nil]
        let values: [String?] = [url, "UTF8", "nocturne", nil]
        let conn = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        let info = Self.connectionInfo(conn, fallback: url)
        do {
            try Self.check(conn != nil && PQstatus(conn) == CONNECTION_OK, conn, server: info, connecting: true)
        } catch {
            PQfinish(conn)
            throw error
        }
        handle = conn
        host = info.host ?? ""
        port = info.port ?? "5432"
        database = info.database ?? ""
        user = info.user ?? ""
        self.logger = logger
        notices = NoticeSink(logger: logger)
        PQsetNoticeProcessor(conn, noticeCallback, Unmanaged.passUnretained(notices).toOpaque())
        try configureSession()
        logger?.debug("connected", metadata: ["server": "\(serverDescription)"])
    }

    deinit { close() }

    /// "socket directory /x (port 5432), database d" or "host h port p, database d".
    public var serverDescription: String {
        ConnectionInfo(host: host, port: port, database: database, user: user).serverDescription
    }

    /// True while the connection is open and libpq considers it healthy.
    public var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The server's version as libpq reports it, e.g. 150004 for 15.4.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The server process serving this session (for `pg_terminate_backend`, logs).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Closes the connection. Safe to call twice; later calls on it throw `.connectionLost`.
    public func close() {
        guard let conn = handle else { return }
        handle = nil
        PQfinish(conn)
        logger?.debug("disconnected", metadata: ["server": "\(serverDescription)"])
    }

    /// Re-opens a broken connection with the same parameters (`PQreset`) and
    /// configures the session again. Any open transaction is gone.
    /// - Throws: `.connectionFailed` if the server still cannot be reached.
    public func reset() throws {
        guard let conn = handle else {
            throw DatabaseError(.connectionLost, "connection was closed; open a new one", server: serverDescription)
        }
        PQreset(conn)
        transactionDepth = 0
        try Self.check(PQstatus(conn) == CONNECTION_OK, conn, server: info, connecting: true)
        try configureSession()
        logger?.debug("connection reset", metadata: ["server": "\(serverDescription)"])
    }

    /// The open `PGconn*`, or an error saying the connection was closed.
    func liveHandle() throws -> OpaquePointer {
        guard let conn = handle else {
            throw DatabaseError(.connectionLost, "connection was closed", server: serverDescription)
        }
        return conn
    }

    /// Checks one libpq outcome on this connection; see `check(_:_:server:result:query:connecting:)`.
    func check(_ succeeded: Bool, result: OpaquePointer? = nil, query: String? = nil) throws {
        try Self.check(succeeded, handle, server: info, result: result, query: query)
    }

    /// The one place where a failing libpq status becomes a thrown `DatabaseError`.
    ///
    /// Takes libpq's own text: the result's fields (SQLSTATE, primary message,
    /// detail, hint, constraint, table, column) when there is a result, else
    /// `PQerrorMessage`. A connection in `CONNECTION_BAD` after the failure
    /// makes it `.connectionLost` (or `.connectionFailed` while connecting).
    static func check(
        _ succeeded: Bool, _ conn: OpaquePointer?, server: ConnectionInfo, result: OpaquePointer? = nil,
        query: String? = nil, connecting: Bool = false
    ) throws {
        if succeeded { return }
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        // Field codes are the character literals of postgres_ext.h (PG_DIAG_*),
        // which Swift cannot import as macros.
        let sqlState = field(UInt8(ascii: "C"))
        let connectionText = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? ""
        var message = field(UInt8(ascii: "M")) ?? (connectionText.isEmpty ? "out of memory in libpq" : connectionText)
        let code: DatabaseError.Code
        if connecting {
            code = .connectionFailed
            // libpq quotes a malformed URL whole in its message, password included.
            message = ConnectionInfo.redacting(message)
        } else if conn == nil || PQstatus(conn) == CONNECTION_BAD {
            code = .connectionLost
            let extra = connectionText.trimmingTrailingWhitespace()
            if !extra.isEmpty, !message.contains(extra) { message += "; \(extra)" }
            message += " (the connection is closed: call reset() or open a new connection)"
        } else {
            code = sqlState == nil ? .clientError : .serverError
        }
        throw DatabaseError(
            code, message, server: server.serverDescription, sqlState: sqlState,
            constraint: field(UInt8(ascii: "n")), table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c")), detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")), query: query)
    }

    private var info: ConnectionInfo {
        ConnectionInfo(host: host, port: port, database: database, user: user)
    }

    /// Where a (possibly failed) `PGconn` points, with libpq's defaults applied;
    /// falls back to parsing the string when libpq could not allocate one.
    private static func connectionInfo(_ conn: OpaquePointer?, fallback url: String) -> ConnectionInfo {
        func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
            pointer.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let conn else {
            return (try? ConnectionInfo(parsing: url)) ?? ConnectionInfo(host: nil, port: nil, database: nil, user: nil)
        }
        return ConnectionInfo(
            host: text(PQhost(conn)), port: text(PQport(conn)), database: text(PQdb(conn)), user: text(PQuser(conn)))
    }

    /// Settings that make text output unambiguous for `PostgresDecodable`.
    /// `extra_float_digits = 3` means shortest-exact output from PostgreSQL 12
    /// on, and 17 significant digits (still exact) before.
    private func configureSession() throws {
        try executeScript(
            """
            SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET bytea_output TO 'hex';
            SET extra_float_digits TO 3
            """)
    }
}

/// Calls `body` with NUL-terminated copies of `strings`, freed afterwards.
/// A nil element stays a null pointer (SQL NULL for query parameters).
func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in pointers { free(pointer) } }
    return try body(pointers.map { $0.map { UnsafePointer($0) } })
}

/// Routes server NOTICE/WARNING messages to the connection's logger instead
/// of libpq's default, which writes them to stderr.
final class NoticeSink: Sendable {
    let logger: Logger?
    init(logger: Logger?) { self.logger = logger }

    func receive(_ text: String) {
        let message = text.trimmingTrailingWhitespace()
        let level: Logger.Level = message.hasPrefix("WARNING") ? .warning : .info
        logger?.log(level: level, "\(message)", metadata: ["source": "postgres"])
    }
}

private let noticeCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void = {
    context, message in
    guard let context, let message else { return }
    Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(String(cString: message))
}
