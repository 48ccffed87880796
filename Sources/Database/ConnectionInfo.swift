import CLibPQ
import Foundation

/// The parts of a connection string that messages need: where and which
/// database. Parsed by libpq itself (`PQconninfoParse`), so URLs and
/// `key=value` strings are read exactly as the connection will read them.
public struct ConnectionInfo: Sendable, Equatable {
    /// Host name, IP address, or a Unix-socket directory (starts with `/`); nil for libpq's default.
    public var host: String?
    /// Numeric address given with `hostaddr`, if any.
    public var hostAddress: String?
    /// Port, or nil for libpq's default (5432).
    public var port: String?
    /// Database name, or nil (libpq then uses the user name).
    public var database: String?
    /// User name, or nil (libpq then uses the OS user).
    public var user: String?

    /// Parses a `postgresql://` URL or a `key=value` connection string.
    /// Throws `.invalidArgument` with libpq's message, any password in it redacted.
    public init(parsing conninfo: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw DatabaseError(.invalidArgument, "invalid connection string: \(Self.redacting(message))")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        host = values["host"].flatMap { $0.isEmpty ? nil : $0 }
        hostAddress = values["hostaddr"].flatMap { $0.isEmpty ? nil : $0 }
        port = values["port"].flatMap { $0.isEmpty ? nil : $0 }
        database = values["dbname"].flatMap { $0.isEmpty ? nil : $0 }
        user = values["user"].flatMap { $0.isEmpty ? nil : $0 }
    }

    init(host: String?, hostAddress: String? = nil, port: String?, database: String?, user: String?) {
        self.host = host
        self.hostAddress = hostAddress
        self.port = port
        self.database = database
        self.user = user
    }

    /// Where the server is, for messages: "socket directory /run/x (port 5432), database d"
    /// or "host db.example.org port 5432, database d". Never contains a password.
    public var serverDescription: String {
        let portText = port ?? "5432"
        let place: String
        if let host, host.hasPrefix("/") || host.hasPrefix("@") {
            place = "socket directory \(host) (port \(portText))"
        } else if let host {
            place = "host \(host) port \(portText)"
        } else if let hostAddress {
            place = "host \(hostAddress) port \(portText)"
        } else {
            place = "libpq's default socket directory (port \(portText))"
        }
        return "\(place), database \(database ?? user ?? "(default)")"
    }

    /// A connection string with any password replaced by `***`, for logs and
    /// messages. Handles `scheme://user:secret@host` and `password=...` in both
    /// URL queries and `key=value` strings.
    public static func redacting(_ conninfo: String) -> String {
        var text = conninfo
        for (pattern, template) in redactionPatterns {
            let range = NSRange(text.startIndex..., in: text)
            text = pattern.stringByReplacingMatches(in: text, range: range, withTemplate: template)
        }
        return text
    }

    private static let redactionPatterns: [(NSRegularExpression, String)] = [
        (try! NSRegularExpression(pattern: "(://[^:/@?]*:)[^@]*@"), "$1***@"),
        (
            try! NSRegularExpression(
                pattern: "(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^&\\s]*)", options: [.caseInsensitive]),
            "$1***"
        ),
    ]
}
