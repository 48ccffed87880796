import Foundation
import Testing
import TestSupport

@testable import Database

#if canImport(Glibc)
import Glibc
#endif

@Suite("Embedded PostgreSQL")
struct EmbeddedPostgresTests {
    @Test("starts, stops and restarts with its data; survives kill -9; reports each state")
    func lifecycle() throws {
        // A deep path, so the socket path would pass 107 bytes and must move to /tmp.
        let root = try SharedData.temporaryDirectory("nocturne-embedded")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent(String(repeating: "deep-folder-name/", count: 4) + ".nocturne/postgres")
        let cluster = EmbeddedPostgres(directory: directory, settings: ["fsync": "off"])
        defer { try? cluster.remove() }
        #expect(cluster.status() == .notInitialized)
        #expect(cluster.statusDescription.contains("not initialized"))

        let url = try cluster.start()
        #expect(cluster.status() == .running(url: url))
        #expect(try cluster.start() == url, "a second start reuses the running server")
        let layout = try #require(cluster.currentLayout())
        #expect(layout.socketDirectory.path.hasPrefix("/tmp/nocturne-"))
        #expect(layout.socketPath.utf8.count <= ClusterLayout.maxSocketPathBytes)
        #expect(cluster.statusDescription.contains("running, socket \(layout.socketPath)"))

        let nocturneURL = try cluster.ensureDatabase(named: "nocturne")
        #expect(try cluster.ensureDatabase(named: "nocturne") == nocturneURL)
        try Self.withConnection(nocturneURL) { db in
            try db.executeScript("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
            #expect(try db.query("SELECT current_setting('listen_addresses') AS l")[0]["l"] == "")
        }

        try cluster.stop()
        #expect(cluster.status() == .stopped)
        #expect(cluster.statusDescription.hasSuffix("stopped"))
        #expect(throws: DatabaseError.self) { _ = try DatabaseConnection(url: nocturneURL) }
        try cluster.stop()  // stopping a stopped cluster is fine

        #expect(try cluster.start() == url)
        try Self.withConnection(nocturneURL) { db in
            let kept = try db.query("SELECT x FROM kept")[0].decode(Int.self, "x")
            #expect(kept == 42)
        }

        // A crash: the postmaster dies without cleaning up its pid file.
        let pid = try #require(cluster.runningPID(layout))
        #expect(kill(pid, SIGKILL) == 0)
        for _ in 0..<200 where cluster.status() != .stopped { usleep(25_000) }
        #expect(cluster.status() == .stopped)
        #expect(try cluster.start() == url)
        try Self.withConnection(nocturneURL) { db in
            let kept = try db.query("SELECT x FROM kept")[0].decode(Int.self, "x")
            #expect(kept == 42)
        }
        try cluster.stop()
        #expect(cluster.status() == .stopped)
        try cluster.remove()
        #expect(cluster.status() == .notInitialized)
        #expect(!FileManager.default.fileExists(atPath: layout.socketDirectory.path))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test("the layout moves the socket out of long paths, and the files out of folders the server user cannot enter")
    func layout() throws {
        let short = ClusterLayout.plan(directory: URL(fileURLWithPath: "/srv/w/.nocturne/postgres"), port: 5432, account: nil)
        #expect(short.home.path == "/srv/w/.nocturne/postgres" && short.socketDirectory == short.home)
        #expect(short.dataDirectory.path == "/srv/w/.nocturne/postgres/data" && short.relocation == nil)

        let long = URL(fileURLWithPath: "/srv/" + String(repeating: "x", count: 100) + "/.nocturne/postgres")
        let moved = ClusterLayout.plan(directory: long, port: 5432, account: nil)
        #expect(moved.home == long.standardizedFileURL)
        #expect(moved.socketDirectory.path.hasPrefix("/tmp/nocturne-") && moved.socketPath.utf8.count <= 107)
        #expect(ClusterLayout.plan(directory: long, port: 5432, account: nil) == moved, "the same path, the same place")

        let account = try #require(ServerAccount.named("postgres") ?? ServerAccount.named("nobody"))
        guard geteuid() == 0 else { return }  // only root can make a folder another user cannot enter
        let closed = try SharedData.temporaryDirectory("nocturne-closed")
        defer { try? FileManager.default.removeItem(at: closed) }
        chmod(closed.path, 0o700)
        let relocated = ClusterLayout.plan(
            directory: closed.appendingPathComponent("work/.nocturne/postgres"), port: 5432, account: account)
        #expect(relocated.home.path.hasPrefix("/var/tmp/nocturne-postgres-"))
        #expect(relocated.relocation?.contains(closed.path) == true)
    }

    @Test(
        "as root, a folder the postgres account cannot enter still gets a working cluster, kept in /var/tmp",
        .enabled(if: geteuid() == 0, "only root runs the server as another account"))
    func relocatedForRoot() throws {
        let closed = try SharedData.temporaryDirectory("nocturne-closed")
        defer { try? FileManager.default.removeItem(at: closed) }
        chmod(closed.path, 0o700)
        let cluster = EmbeddedPostgres(
            directory: closed.appendingPathComponent("work/.nocturne/postgres"), settings: ["fsync": "off"])
        defer { try? cluster.remove() }
        let url = try cluster.start()
        let layout = try #require(cluster.currentLayout())
        #expect(layout.home.path.hasPrefix("/var/tmp/nocturne-postgres-"))
        #expect(cluster.statusDescription.contains("cannot pass through \(closed.path)"))
        try Self.withConnection(url) { db in
            let user = try db.query("SELECT current_user AS u")[0]["u"]
            #expect(user == "postgres")
        }
        try cluster.remove()
        #expect(!FileManager.default.fileExists(atPath: layout.home.path))
    }

    @Test("the location follows NOCTURNE_DATABASE_URL")
    func location() {
        let external = DatabaseLocation.resolve(
            environment: ["NOCTURNE_DATABASE_URL": "postgresql://ops:hunter2@db1.example.org:6543/nocturne"],
            workingDirectory: URL(fileURLWithPath: "/srv/w"))
        #expect(external.statusDescription == "external server at host db1.example.org port 6543, database nocturne (from NOCTURNE_DATABASE_URL)")
        let embedded = DatabaseLocation.resolve(environment: ["NOCTURNE_DATABASE_URL": ""], workingDirectory: URL(fileURLWithPath: "/nonexistent/w"))
        guard case .embedded(let cluster) = embedded else {
            Issue.record("expected the embedded cluster")
            return
        }
        #expect(cluster.directory.path == "/nonexistent/w/.nocturne/postgres")
        #expect(embedded.statusDescription == "embedded cluster at /nonexistent/w/.nocturne/postgres, not initialized (it is created on first use)")
    }

    static func withConnection(_ url: String, _ body: (DatabaseConnection) throws -> Void) throws {
        let db = try DatabaseConnection(url: url)
        defer { db.close() }
        try body(db)
    }
}
