import Foundation
import Logging

/// Which PostgreSQL Nocturne uses, decided from the environment:
/// `NOCTURNE_DATABASE_URL` names an external server (nothing is started);
/// without it, the embedded cluster in `<working folder>/.nocturne/postgres`.
public enum DatabaseLocation: Sendable {
    /// An existing server, from `NOCTURNE_DATABASE_URL`.
    case external(url: String)
    /// Nocturne's own cluster, started on demand.
    case embedded(EmbeddedPostgres)

    /// The environment variable naming an external server.
    public static let environmentVariable = "NOCTURNE_DATABASE_URL"
    /// The database Nocturne uses in the embedded cluster.
    public static let embeddedDatabaseName = "nocturne"

    /// `<workingDirectory>/.nocturne/postgres`.
    public static func embeddedDirectory(workingDirectory: URL) -> URL {
        workingDirectory.appendingPathComponent(".nocturne/postgres", isDirectory: true)
    }

    /// Resolves the location. An empty `NOCTURNE_DATABASE_URL` counts as unset.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
        logger: Logger? = nil
    ) -> DatabaseLocation {
        if let url = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            return .external(url: url)
        }
        return .embedded(EmbeddedPostgres(directory: embeddedDirectory(workingDirectory: workingDirectory), logger: logger))
    }

    /// The URL to connect to. For the embedded cluster this starts it (and
    /// runs `initdb` the first time) and creates the `nocturne` database if
    /// missing; for an external server it only returns the URL.
    public func connectionURL() throws -> String {
        switch self {
        case .external(let url): return url
        case .embedded(let cluster): return try cluster.ensureDatabase(named: Self.embeddedDatabaseName)
        }
    }

    /// One line for `nocturne db status`, e.g. "embedded cluster at
    /// /w/.nocturne/postgres, running, socket /w/.nocturne/postgres/.s.PGSQL.5432"
    /// or "external server at host db1 port 5432, database nocturne (from
    /// NOCTURNE_DATABASE_URL)". Never contains a password.
    public var statusDescription: String {
        switch self {
        case .external(let url):
            let place = (try? ConnectionInfo(parsing: url).serverDescription) ?? ConnectionInfo.redacting(url)
            return "external server at \(place) (from \(Self.environmentVariable))"
        case .embedded(let cluster):
            return cluster.statusDescription
        }
    }
}
