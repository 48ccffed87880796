import CLibPQ

/// One row of a query result, copied out of libpq as text, so it outlives the
/// `PGresult` and the connection and can be sent between tasks.
///
/// Columns are looked up by name (the first column of that name wins when a
/// query returns two, so alias them) or by position (0-based).
public struct DatabaseRow: Sendable {
    /// Names and type OIDs of the result's columns, and where they came
    /// from (for error messages), shared by all its rows.
    final class Layout: Sendable {
        let names: [String]
        let types: [UInt32]
        let positions: [String: Int]
        let server: String?

        init(names: [String], types: [UInt32], server: String?) {
            self.names = names
            self.types = types
            self.server = server
            var positions: [String: Int] = [:]
            for (position, name) in names.enumerated() where positions[name] == nil {
                positions[name] = position
            }
            self.positions = positions
        }
    }

    let layout: Layout
    /// PostgreSQL's text output per column; nil for SQL NULL.
    let values: [String?]

    /// The result's column names, in order.
    public var columnNames: [String] { layout.names }

    /// Number of columns.
    public var count: Int { values.count }

    /// The column's raw text as PostgreSQL printed it; nil if NULL or no such column.
    public subscript(column: String) -> String? {
        layout.positions[column].flatMap { values[$0] }
    }

    /// The raw text at a 0-based position; nil if NULL or out of range.
    public subscript(position: Int) -> String? {
        values.indices.contains(position) ? values[position] : nil
    }

    /// True if the column is SQL NULL, or if the row has no such column.
    public func isNull(_ column: String) -> Bool { self[column] == nil }

    /// Decodes a non-NULL column.
    /// - Throws: `.decodingFailed` naming the column and its text when it is
    ///   NULL, missing, or not a valid `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T {
        guard let value = try decodeIfPresent(type, column) else {
            throw DatabaseError(
                .decodingFailed,
                "column \"\(column)\" is NULL, expected \(T.self); use decodeIfPresent for a nullable column",
                server: layout.server, column: column)
        }
        return value
    }

    /// Decodes a nullable column: nil for NULL.
    /// - Throws: `.decodingFailed` when the row has no such column (a typo is
    ///   not a NULL) or its text is not a valid `T`.
    public func decodeIfPresent<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T? {
        guard let position = layout.positions[column] else {
            throw DatabaseError(
                .decodingFailed,
                "no column \"\(column)\" in the result; columns are \(layout.names.joined(separator: ", "))",
                server: layout.server, column: column)
        }
        return try decodeIfPresent(type, at: position)
    }

    /// Decodes a non-NULL column by 0-based position.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at position: Int) throws -> T {
        guard let value = try decodeIfPresent(type, at: position) else {
            let name = layout.names.indices.contains(position) ? layout.names[position] : "#\(position)"
            throw DatabaseError(
                .decodingFailed, "column \"\(name)\" is NULL, expected \(T.self)", server: layout.server,
                column: name)
        }
        return value
    }

    /// Decodes a nullable column by 0-based position: nil for NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ type: T.Type, at position: Int) throws -> T? {
        guard values.indices.contains(position) else {
            throw DatabaseError(
                .decodingFailed, "no column at position \(position); the result has \(values.count)",
                server: layout.server)
        }
        guard let text = values[position] else { return nil }
        guard let value = T(postgresText: text, type: layout.types[position]) else {
            let name = layout.names[position]
            let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
            throw DatabaseError(
                .decodingFailed, "column \"\(name)\" holds \"\(shown)\", which is not a valid \(T.self)",
                server: layout.server, column: name)
        }
        return value
    }

    /// Copies every row of a `PGresult` into `DatabaseRow`s.
    static func rows(from result: OpaquePointer, server: String?) -> [DatabaseRow] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
        let layout = Layout(names: names, types: types, server: server)
        var rows: [DatabaseRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            rows.append(DatabaseRow(layout: layout, values: values))
        }
        return rows
    }
}
