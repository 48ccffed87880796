import Database
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A fresh database for one test, on a server shared by the whole test process.
///
/// With `NOCTURNE_DATABASE_URL` set, databases are created on that server
/// (the role needs CREATEDB) and dropped when the process exits. Otherwise one
/// embedded cluster is started for the process in `/tmp/nocturne-testdb-<pid>`,
/// with durability off for speed, and stopped and deleted at exit; clusters
/// left by crashed test processes are removed at the next start.
///
/// Each `make()` returns its own database (`t_<random>`), so tests can run in
/// parallel. Migrated databases are copied from a template migrated once with
/// the repository's `schema/`, which is much faster than migrating each one.
public struct TestDatabase: Sendable {
    /// An open connection to the test's database, for this test only.
    public let connection: DatabaseConnection
    /// URL of the test's database, for opening more connections.
    public let url: String
    /// The database's name (`t_` and 12 hex digits).
    public let name: String

    /// The repository's migrations.
    public static var schemaDirectory: URL { SharedData.packageRoot.appendingPathComponent("schema", isDirectory: true) }

    /// Creates a database for one test; `migrated: false` gives an empty one.
    public static func make(migrated: Bool = true) throws -> TestDatabase {
        let server = try TestServer.shared()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try DatabaseConnection(url: server.adminURL)
        defer { admin.close() }
        let template = migrated ? server.templateName : "template0"
        try admin.execute("CREATE DATABASE \(name) TEMPLATE \(template)")
        TestServer.remember(database: name)
        let url = server.url(database: name)
        return TestDatabase(connection: try DatabaseConnection(url: url), url: url, name: name)
    }

    /// Opens another connection to this test's database.
    public func connect() throws -> DatabaseConnection {
        try DatabaseConnection(url: url)
    }
}

/// The server all `TestDatabase`s of this process live on, started once.
struct TestServer: Sendable {
    /// Connects to a maintenance database, for CREATE/DROP DATABASE.
    let adminURL: String
    /// The migrated database new test databases are copied from.
    let templateName: String
    /// The embedded cluster, or nil for an external server.
    let cluster: EmbeddedPostgres?
    /// `NOCTURNE_DATABASE_URL`, when set.
    let externalURL: String?

    private struct State: Sendable {
        /// The outcome of the one start attempt: later tests get the same
        /// server, or the same error at once instead of another slow attempt.
        var started: Result<TestServer, any Error>?
        /// What the exit handler must clean up, recorded as soon as it exists.
        var cluster: EmbeddedPostgres?
        var server: TestServer?
        var databases: [String] = []
    }

    private static let state = Mutex(State())

    /// The process's server, starting it (and migrating the template) on first use.
    static func shared() throws -> TestServer {
        try state.withLock { state in
            if state.started == nil {
                atexit { TestServer.shutdown() }
                state.started = Result { try start(&state) }
            }
            return try state.started!.get()
        }
    }

    static func remember(database: String) {
        state.withLock { $0.databases.append(database) }
    }

    func url(database: String) -> String {
        if let cluster { return cluster.url(database: database) ?? adminURL }
        return Self.replacingDatabase(in: externalURL ?? adminURL, with: database)
    }

    private static func start(_ state: inout State) throws -> TestServer {
        let templateName = "nocturne_template_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        let server: TestServer
        if let external = ProcessInfo.processInfo.environment[DatabaseLocation.environmentVariable], !external.isEmpty {
            server = TestServer(adminURL: external, templateName: templateName, cluster: nil, externalURL: external)
        } else {
            removeStaleClusters()
            let cluster = EmbeddedPostgres(
                directory: URL(fileURLWithPath: "/tmp/\(clusterPrefix)\(getpid())", isDirectory: true),
                settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"])
            state.cluster = cluster
            let adminURL = try cluster.start()
            server = TestServer(adminURL: adminURL, templateName: templateName, cluster: cluster, externalURL: nil)
        }
        state.server = server
        let admin = try DatabaseConnection(url: server.adminURL)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(templateName)")
        let template = try DatabaseConnection(url: server.url(database: templateName))
        defer { template.close() }
        try Migrator(directory: TestDatabase.schemaDirectory).migrate(template)
        return server
    }

    /// Drops what this process created on an external server, or stops and
    /// deletes the embedded cluster. Runs at process exit.
    private static func shutdown() {
        let (cluster, server, databases) = state.withLock { ($0.cluster, $0.server, $0.databases) }
        if let cluster {
            try? cluster.remove()
            return
        }
        guard let server, let admin = try? DatabaseConnection(url: server.adminURL) else { return }
        for name in databases + [server.templateName] {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
        admin.close()
    }

    /// Names this fixture's cluster folders in /tmp, followed by the test process id.
    private static let clusterPrefix = "nocturne-testdb-"

    /// Stops and deletes `/tmp/nocturne-testdb-<pid>` clusters whose test
    /// process no longer exists (it crashed before its exit handler ran).
    /// Only folders that hold a cluster record are touched.
    private static func removeStaleClusters() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix(clusterPrefix) {
            guard let pid = Int32(name.dropFirst(clusterPrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            let directory = URL(fileURLWithPath: "/tmp/\(name)", isDirectory: true)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("cluster.conf").path) else { continue }
            try? EmbeddedPostgres(directory: directory).remove()
        }
    }

    /// The external URL or conninfo string pointed at another database.
    private static func replacingDatabase(in base: String, with database: String) -> String {
        if base.contains("://"), var components = URLComponents(string: base) {
            components.path = "/\(database)"
            if let url = components.string { return url }
        }
        return "\(base) dbname=\(database)"
    }
}
