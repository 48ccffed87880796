import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster in a folder (Nocturne's default:
/// `<working folder>/.nocturne/postgres`), run with the machine's own
/// PostgreSQL programs.
///
/// - First `start()` runs `initdb` (trust authentication for the
///   `postgres` superuser, UTF-8, C locale); later ones reuse the cluster, and
///   a `start()` while it runs just returns its URL.
/// - The server listens only on a Unix socket, in the folder (or in
///   `/tmp/nocturne-<hash>` when the folder's path is too long for a socket):
///   no TCP port is opened, and only the server's user (and root) can connect.
/// - As root, `initdb` and `postgres` run as the `postgres` account (they
///   refuse root) through `runuser`, and the folder is given to that account.
///   If that account cannot pass through a directory above the folder, the
///   cluster's files go to `/var/tmp/nocturne-postgres-<hash>` instead and
///   the folder records where (see `ClusterLayout`).
/// - Start and stop take an exclusive lock on `<folder>/.lock`, so several
///   processes starting the same cluster at once end up sharing one server.
///
/// All calls block until the programs they run finish (seconds for `initdb`).
public struct EmbeddedPostgres: Sendable {
    /// What `status()` finds.
    public enum Status: Sendable, Equatable {
        /// No cluster has been created in the folder yet.
        case notInitialized
        /// The cluster exists and no server runs on it.
        case stopped
        /// A server runs; `url` connects to its `postgres` database.
        case running(url: String)
    }

    /// How `stop` ends sessions (pg_ctl's `-m`).
    public enum ShutdownMode: String, Sendable {
        /// Wait for clients to disconnect.
        case smart
        /// Roll back open transactions, disconnect clients, shut down cleanly.
        case fast
        /// Stop at once; the next start recovers from WAL (for throw-away clusters).
        case immediate
    }

    /// The superuser role `initdb` creates; the URLs connect as it.
    public static let superuser = "postgres"

    /// The folder the cluster belongs to (`.nocturne/postgres`).
    public let directory: URL
    /// Only names the socket file `.s.PGSQL.<port>`; no TCP port is opened.
    public let port: Int
    /// Extra `postgresql.conf` settings applied at each start, e.g.
    /// `["fsync": "off"]` for throw-away test clusters (which also makes
    /// `initdb` skip its final sync).
    public let settings: [String: String]
    let logger: Logger?

    /// Describes a cluster in `directory`; creates nothing until `start()`.
    public init(directory: URL, port: Int = 5432, settings: [String: String] = [:], logger: Logger? = nil) {
        self.directory = directory.standardizedFileURL
        self.port = port
        self.settings = settings
        self.logger = logger
    }

    /// Creates the cluster if needed and starts its server if it is not
    /// running, waiting until it accepts connections.
    /// - Returns: a URL for the `postgres` database
    ///   (`postgresql://postgres@/postgres?host=<socket dir>&port=<port>`).
    /// - Throws: `.embeddedServerFailed` with the tool's output and the end of
    ///   the server log (`<home>/postgres.log`) when initdb or the start fails.
    @discardableResult
    public func start() throws -> String {
        try withDirectoryLock {
            let account = try serverAccount(for: ClusterLayout.recorded(in: directory))
            let layout = try prepareLayout(account: account)
            if !layout.isInitialized { try initialize(layout, account: account) }
            if runningPID(layout) == nil { try launch(layout, account: account) }
            return url(layout, database: "postgres")
        }
    }

    /// Stops the server if it runs and waits until it has exited. Does
    /// nothing for a stopped or uninitialized cluster.
    public func stop(mode: ShutdownMode = .fast) throws {
        try withDirectoryLock {
            guard let layout = currentLayout(), layout.isInitialized, runningPID(layout) != nil else { return }
            let account = try serverAccount(for: layout)
            logger?.info("stopping embedded PostgreSQL", metadata: ["data": "\(layout.dataDirectory.path)"])
            let outcome = try runTool(
                "pg_ctl", ["stop", "-D", layout.dataDirectory.path, "-m", mode.rawValue, "-w", "-t", "120"],
                layout: layout, account: account)
            if !outcome.succeeded, runningPID(layout) != nil {
                throw failure("pg_ctl stop failed", outcome, layout)
            }
        }
    }

    /// Stops the server at once and deletes the cluster's files: data, log,
    /// a socket directory in /tmp, and the folder itself. The data is gone
    /// for good; meant for throw-away clusters (tests).
    public func remove() throws {
        try stop(mode: .immediate)
        let layout = currentLayout()
        var folders = [directory]
        if let layout {
            folders += [layout.home, layout.socketDirectory]
        }
        for folder in Set(folders) where FileManager.default.fileExists(atPath: folder.path) {
            do {
                try FileManager.default.removeItem(at: folder)
            } catch {
                throw DatabaseError(.embeddedServerFailed, "cannot remove \(folder.path): \(error)")
            }
        }
    }

    /// Whether the cluster exists and its server runs. Reads files only
    /// (`postmaster.pid` and `/proc`); starts and creates nothing.
    public func status() -> Status {
        guard let layout = currentLayout(), layout.isInitialized else { return .notInitialized }
        return runningPID(layout) == nil ? .stopped : .running(url: url(layout, database: "postgres"))
    }

    /// The URL of `database` on this cluster, or nil before it is initialized.
    public func url(database: String = "postgres") -> String? {
        guard let layout = currentLayout(), layout.isInitialized else { return nil }
        return url(layout, database: database)
    }

    /// Starts the server if needed and creates database `name` if missing.
    /// - Returns: the database's URL.
    /// - Throws: `.invalidArgument` for a name that is not a plain identifier.
    @discardableResult
    public func ensureDatabase(named name: String) throws -> String {
        let quoted = try SQLIdentifier.quoted(name, role: "database name")
        let adminURL = try start()
        let admin = try DatabaseConnection(url: adminURL, logger: logger)
        defer { admin.close() }
        if try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]).isEmpty {
            do {
                try admin.execute("CREATE DATABASE \(quoted)")
                logger?.info("created database", metadata: ["database": "\(name)"])
            } catch let error as DatabaseError where error.sqlState == "42P04" {
                // Another process created it between our check and our CREATE.
            }
        }
        return url(database: name) ?? adminURL
    }

    /// One line for `nocturne db status`: where the cluster is, whether it
    /// runs, and its socket.
    public var statusDescription: String {
        let layout = currentLayout()
        var text = "embedded cluster at \(directory.path)"
        switch status() {
        case .notInitialized: text += ", not initialized (it is created on first use)"
        case .stopped: text += ", stopped"
        case .running: text += ", running, socket \(layout?.socketPath ?? "?")"
        }
        if let layout, let relocation = layout.relocation {
            text += " (files in \(layout.home.path) because \(relocation))"
        }
        return text
    }

    /// The recorded layout, or the plan for a cluster not recorded yet.
    func currentLayout() -> ClusterLayout? {
        if let recorded = ClusterLayout.recorded(in: directory) { return recorded }
        let planned = ClusterLayout.plan(directory: directory, port: port, account: nil)
        return planned.isInitialized ? planned : nil
    }

    func url(_ layout: ClusterLayout, database: String) -> String {
        let host = Self.percentEncoded(layout.socketDirectory.path)
        return "postgresql://\(Self.superuser)@/\(Self.percentEncoded(database))?host=\(host)&port=\(layout.port)"
    }

    /// Percent-encodes all but unreserved characters and `/`, for URL parts.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Runs `body` holding an exclusive `flock` on `<directory>/.lock`, so
    /// that concurrent processes initialize, start and stop one at a time.
    private func withDirectoryLock<T>(_ body: () throws -> T) throws -> T {
        try ServerAccount.createPassableDirectories(directory)
        let path = directory.appendingPathComponent(".lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServerAccount.fileError("cannot open lock file \(path)", errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ServerAccount.fileError("cannot lock \(path)", errno) }
        }
        return try body()
    }
}
