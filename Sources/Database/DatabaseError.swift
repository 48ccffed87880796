/// An error from the database layer: a failed libpq call, a server-side error,
/// a value that did not decode, a migration or embedded-server problem.
///
/// `description` is safe to log: it names the server (host or socket
/// directory, port) and the database, never a password or a parameter value.
/// `debugDescription` adds the server's detail, hint, position and the SQL text.
///
/// Callers branch on the accessors rather than on message text:
/// `isConnectionFailure` (retry or `reset()`), `isConstraintViolation`
/// (SQLSTATE class 23), `sqlState`, `constraint`, `table`, or `code`.
public struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. A struct over a private enum so that new
    /// kinds can be added without breaking callers' `switch` statements.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case connectionFailed = "connection failed"
            case connectionLost = "connection lost"
            case serverError = "server error"
            case clientError = "client error"
            case decodingFailed = "decoding failed"
            case invalidArgument = "invalid argument"
            case migrationFailed = "migration failed"
            case embeddedServerFailed = "embedded server failed"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Could not open a connection (server down, socket missing, auth refused).
        public static let connectionFailed = Code(.connectionFailed)
        /// An open connection broke (server restarted, backend terminated, network).
        public static let connectionLost = Code(.connectionLost)
        /// The server rejected a statement; `sqlState` says why.
        public static let serverError = Code(.serverError)
        /// libpq failed on our side without a server error (e.g. out of memory).
        public static let clientError = Code(.clientError)
        /// A column's value did not fit the requested Swift type.
        public static let decodingFailed = Code(.decodingFailed)
        /// A caller passed something unusable: a bad identifier, a NUL byte, a wrong row width.
        public static let invalidArgument = Code(.invalidArgument)
        /// A migration file was malformed, changed after being applied, or failed.
        public static let migrationFailed = Code(.migrationFailed)
        /// The embedded PostgreSQL could not be initialized, started or stopped.
        public static let embeddedServerFailed = Code(.embeddedServerFailed)

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// libpq's or the server's own primary message, without trailing newline.
    public let message: String
    /// Where: "socket /dir port 5432, database nocturne" or "host h port p, database d".
    public let server: String?
    /// The five-character SQLSTATE the server reported, if any (e.g. "23514").
    public let sqlState: String?
    /// The constraint the server named (check, unique, foreign key, not-null).
    public let constraint: String?
    /// The table the server named, if any.
    public let table: String?
    /// The column the server named, if any (not-null violations, decoding).
    public let column: String?
    /// The server's DETAIL line. May contain row values, so only in `debugDescription`.
    public let detail: String?
    /// The server's HINT line.
    public let hint: String?
    /// The SQL text involved, for `debugDescription` only.
    public let query: String?

    init(
        _ code: Code, _ message: String, server: String? = nil, sqlState: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil,
        detail: String? = nil, hint: String? = nil, query: String? = nil
    ) {
        self.code = code
        self.message = message.trimmingTrailingWhitespace()
        self.server = server
        self.sqlState = sqlState
        self.constraint = constraint
        self.table = table
        self.column = column
        self.detail = detail
        self.hint = hint
        self.query = query
    }

    /// True when the connection is unusable: it never opened, or it broke.
    /// Also true for SQLSTATE classes 08 (connection exception) and 57P01–57P03
    /// (server shutting down), which a retry on a new connection may survive.
    public var isConnectionFailure: Bool {
        if code == .connectionFailed || code == .connectionLost { return true }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
    }

    /// True for SQLSTATE class 23: check, unique, foreign-key, not-null, exclusion.
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }

    /// True for a unique or primary-key violation (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = "database error (\(code))"
        if let server { text += " on \(server)" }
        text += ": \(message)"
        var names: [String] = []
        if let sqlState { names.append("SQLSTATE \(sqlState)") }
        if let constraint { names.append("constraint \(constraint)") }
        if let table { names.append("table \(table)") }
        if let column { names.append("column \(column)") }
        if !names.isEmpty { text += " [\(names.joined(separator: ", "))]" }
        return text
    }

    public var debugDescription: String {
        var lines = [description]
        if let detail { lines.append("DETAIL: \(detail)") }
        if let hint { lines.append("HINT: \(hint)") }
        if let query { lines.append("SQL: \(query)") }
        return lines.joined(separator: "\n")
    }

    /// This error with `server` filled in, when the thrower did not know it.
    func on(_ server: String) -> DatabaseError {
        guard self.server == nil else { return self }
        return DatabaseError(
            code, message, server: server, sqlState: sqlState, constraint: constraint, table: table,
            column: column, detail: detail, hint: hint, query: query)
    }

    /// This error with a sentence of context put before the message.
    func prefixed(_ context: String, code newCode: Code? = nil) -> DatabaseError {
        DatabaseError(
            newCode ?? code, "\(context): \(message)", server: server, sqlState: sqlState,
            constraint: constraint, table: table, column: column, detail: detail, hint: hint, query: query)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex, let last = self[index(before: end)].unicodeScalars.first,
            last == " " || last == "\n" || last == "\r" || last == "\t"
        {
            end = index(before: end)
        }
        return String(self[startIndex..<end])
    }
}
