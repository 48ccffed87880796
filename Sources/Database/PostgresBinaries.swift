import Foundation

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`) are installed.
///
/// Asks `pg_config --bindir` once per process; if that is missing or points
/// at a directory without the server (libpq-dev of another version), takes
/// the newest `/usr/lib/postgresql/<version>/bin` that has them (Debian's layout).
struct PostgresBinaries: Sendable {
    /// The directory holding `initdb`, `pg_ctl` and `postgres`.
    let directory: String

    var initdb: String { "\(directory)/initdb" }
    var pgCtl: String { "\(directory)/pg_ctl" }

    /// The binaries of this machine, looked up once.
    static func located() throws -> PostgresBinaries {
        try cached.get()
    }

    private static let cached: Result<PostgresBinaries, DatabaseError> = Result { try locate() }
        .mapError { $0 as? DatabaseError ?? DatabaseError(.embeddedServerFailed, "\($0)") }

    private static func locate() throws -> PostgresBinaries {
        var tried: [String] = []
        if let pgConfig = Subprocess.find("pg_config"),
            let outcome = try? Subprocess.run(pgConfig, ["--bindir"], environment: Subprocess.toolEnvironment()),
            outcome.succeeded
        {
            let directory = outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if hasServer(directory) { return PostgresBinaries(directory: directory) }
            tried.append("\(directory) (from pg_config --bindir)")
        } else {
            tried.append("pg_config (not found or failed)")
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Double(name).map { (name, $0) } }
            .sorted { $0.1 > $1.1 }
        for (name, _) in versions where hasServer("\(root)/\(name)/bin") {
            return PostgresBinaries(directory: "\(root)/\(name)/bin")
        }
        tried.append("\(root)/*/bin")
        throw DatabaseError(
            .embeddedServerFailed,
            "PostgreSQL server programs (initdb, pg_ctl) not found; looked in \(tried.joined(separator: ", ")). Install postgresql and postgresql-<version>-q3c (apt-get install postgresql postgresql-15-q3c), or set NOCTURNE_DATABASE_URL to use an existing server")
    }

    private static func hasServer(_ directory: String) -> Bool {
        ["initdb", "pg_ctl", "postgres"].allSatisfy { access("\(directory)/\($0)", X_OK) == 0 }
    }
}
