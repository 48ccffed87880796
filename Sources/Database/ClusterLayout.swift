import Checksum
import Foundation

/// Where an embedded cluster's files live: normally all in the directory it
/// was given, but moved when a rule of the platform says they cannot be there.
///
/// - The socket moves to `/tmp/nocturne-<8 hex>` when `<dir>/.s.PGSQL.<port>`
///   is longer than the 107 bytes a Unix socket path may have.
/// - When running as root, the server runs as an unprivileged account that
///   must be able to pass through every directory above its files. If one
///   does not allow that (e.g. `/root`, mode 0700), the cluster's files go to
///   `/var/tmp/nocturne-postgres-<16 hex>` instead (kept across reboots,
///   unlike /tmp), rather than loosening the permissions of the user's folders.
///
/// The result is recorded in `<dir>/cluster.conf`, so that `status` and `stop`
/// find a moved cluster, and it stays where it was first put.
struct ClusterLayout: Sendable, Equatable {
    /// Holds `data/` (PGDATA) and `postgres.log`.
    var home: URL
    /// Holds the socket `.s.PGSQL.<port>` and its lock file.
    var socketDirectory: URL
    /// Names the socket file; the server listens on no TCP port.
    var port: Int
    /// Why `home` is not the requested directory, if it is not.
    var relocation: String?

    var dataDirectory: URL { home.appendingPathComponent("data", isDirectory: true) }
    var logFile: URL { home.appendingPathComponent("postgres.log") }
    var socketPath: String { "\(socketDirectory.path)/.s.PGSQL.\(port)" }

    /// `sizeof(sockaddr_un.sun_path)` on Linux is 108, including the NUL.
    static let maxSocketPathBytes = 107
    static let recordName = "cluster.conf"

    /// The layout for a new cluster requested at `directory`.
    /// - Parameter account: the account that will run the server when this
    ///   process is root; nil when the server runs as this process's user.
    static func plan(directory: URL, port: Int, account: ServerAccount?) -> ClusterLayout {
        var home = directory.standardizedFileURL
        var relocation: String?
        if let account, let blocked = account.firstBlockedAncestor(of: home) {
            home = URL(fileURLWithPath: "/var/tmp/nocturne-postgres-\(shortHash(home.path, 16))", isDirectory: true)
            relocation = "user \(account.name) cannot pass through \(blocked)"
        }
        var socket = home
        if "\(home.path)/.s.PGSQL.\(port)".utf8.count > maxSocketPathBytes {
            socket = URL(fileURLWithPath: "/tmp/nocturne-\(shortHash(home.path, 8))", isDirectory: true)
        }
        return ClusterLayout(home: home, socketDirectory: socket, port: port, relocation: relocation)
    }

    /// The layout recorded in `directory`, if a cluster was set up there.
    static func recorded(in directory: URL) -> ClusterLayout? {
        let url = directory.appendingPathComponent(recordName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let home = values["home"], let socket = values["socket"], let port = values["port"].flatMap(Int.init)
        else { return nil }
        return ClusterLayout(
            home: URL(fileURLWithPath: home, isDirectory: true),
            socketDirectory: URL(fileURLWithPath: socket, isDirectory: true), port: port,
            relocation: values["relocation"])
    }

    /// Writes the record that `recorded(in:)` reads.
    func record(in directory: URL) throws {
        var text = """
            # Written by Nocturne: where this embedded PostgreSQL cluster keeps its files.
            home=\(home.path)
            socket=\(socketDirectory.path)
            port=\(port)

            """
        if let relocation { text += "relocation=\(relocation)\n" }
        do {
            try text.write(to: directory.appendingPathComponent(Self.recordName), atomically: true, encoding: .utf8)
        } catch {
            throw DatabaseError(.embeddedServerFailed, "cannot write \(Self.recordName) in \(directory.path): \(error)")
        }
    }

    /// Whether `initdb` has completed here.
    var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    private static func shortHash(_ text: String, _ hexDigits: Int) -> String {
        String(SHA256.hex(Array(text.utf8)).prefix(hexDigits))
    }
}
