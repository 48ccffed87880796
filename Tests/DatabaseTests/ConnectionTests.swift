import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@testable import Database

#if canImport(Glibc)
import Glibc
#endif

@Suite("Connections and their errors")
struct ConnectionTests {
    @Test("no server behind a socket directory: the error names the directory")
    func deadSocket() throws {
        let directory = "/tmp/nocturne-no-server-\(UUID().uuidString.prefix(8))"
        let error = #expect(throws: DatabaseError.self) {
            _ = try DatabaseConnection(url: "postgresql://postgres@/nocturne?host=\(directory)&port=5999")
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains(directory) == true)
        #expect(error?.description.contains("nocturne") == true, "names the database")
    }

    @Test("nothing listening on a TCP port: the error names host and port, never the password")
    func deadPort() throws {
        let port = try Self.unusedPort()
        let url = "postgresql://nocturne:s3cret-pw@127.0.0.1:\(port)/survey?connect_timeout=5"
        let error = #expect(throws: DatabaseError.self) { _ = try DatabaseConnection(url: url) }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("\(port)") == true)
        #expect(error?.description.contains("survey") == true)
        #expect(error?.debugDescription.contains("s3cret") == false)
        #expect(ConnectionInfo.redacting(url).contains("s3cret") == false)
        let malformed = #expect(throws: DatabaseError.self) { _ = try DatabaseConnection(url: "postgresql://u:s3cret@[::1") }
        #expect(malformed?.debugDescription.contains("s3cret") == false)
        #expect(ConnectionInfo.redacting("host=h password='a b' dbname=d") == "host=h password=*** dbname=d")
        #expect(ConnectionInfo.redacting("postgresql://u@h/d?password=x&sslmode=require") == "postgresql://u@h/d?password=***&sslmode=require")
    }

    @Test("a terminated backend is reported as a connection failure, and reset() reconnects")
    func terminatedBackend() throws {
        let db = try TestDatabase.make(migrated: false)
        let victim = try db.connect()
        let pid = victim.backendPID
        #expect(try db.connection.query("SELECT pg_terminate_backend($1) AS done", [pid])[0].decode(Bool.self, "done"))
        // The backend exits asynchronously; wait until it is gone from pg_stat_activity.
        for _ in 0..<100 {
            let alive = try db.connection.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])
            if alive.isEmpty { break }
            usleep(20_000)
        }
        let error = #expect(throws: DatabaseError.self) { try victim.query("SELECT 1") }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.code == .connectionLost)
        #expect(error?.description.contains(db.name) == true)
        #expect(victim.isConnected == false)

        try victim.reset()
        #expect(victim.isConnected)
        #expect(victim.backendPID != pid)
        #expect(try victim.query("SELECT current_setting('TimeZone') AS tz")[0]["tz"] == "UTC")
    }

    @Test("a lost connection inside a transaction says so")
    func lostInTransaction() throws {
        let db = try TestDatabase.make(migrated: false)
        let victim = try db.connect()
        let killer = db.connection
        let error = #expect(throws: DatabaseError.self) {
            try victim.transaction { tx in
                try killer.query("SELECT pg_terminate_backend($1)", [tx.backendPID])
                usleep(200_000)
                try tx.query("SELECT 1")
            }
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.message.contains("inside a transaction") == true)
    }

    @Test("connection facts, closing, and the session settings")
    func basics() throws {
        let db = try TestDatabase.make(migrated: false)
        let connection = try db.connect()
        #expect(connection.database == db.name)
        #expect(connection.serverVersion >= 130_000)
        #expect(connection.serverDescription.contains(connection.host))
        let settings = try connection.query("SELECT current_setting('DateStyle') AS ds, current_setting('bytea_output') AS bo")[0]
        #expect(settings["ds"] == "ISO, MDY" && settings["bo"] == "hex")
        #expect(try connection.execute("SELECT 1 UNION SELECT 2") == 2)
        connection.close()
        connection.close()
        let error = #expect(throws: DatabaseError.self) { try connection.query("SELECT 1") }
        #expect(error?.isConnectionFailure == true)
        let syntax = #expect(throws: DatabaseError.self) { try db.connection.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601" && syntax?.isConnectionFailure == false)
        #expect(syntax?.debugDescription.contains("SELEC 1") == true)
    }

    @Test("key=value connection strings work, and server notices reach the logger")
    func conninfoAndNotices() throws {
        let db = try TestDatabase.make(migrated: false)
        let seen = Collected()
        let logger = Logger(label: "test") { _ in CollectingHandler(seen: seen) }
        let url = "host=\(db.connection.host) port=\(db.connection.port) dbname=\(db.name) user=postgres"
        let connection = try DatabaseConnection(url: url, logger: logger)
        #expect(connection.database == db.name)
        try connection.executeScript("DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$")
        #expect(seen.messages.withLock { $0.contains { $0.contains("hello from the server") } })
    }

    final class Collected: Sendable {
        let messages = Mutex<[String]>([])
    }

    /// A log handler that keeps messages, to see what reached the logger.
    struct CollectingHandler: LogHandler {
        let seen: Collected
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            seen.messages.withLock { $0.append("\(event.message)") }
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
