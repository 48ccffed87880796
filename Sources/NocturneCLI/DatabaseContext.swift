import Configuration
import Database
import Foundation
import Logging
import Store

/// Opens Nocturne's database the way every command does: the server named by
/// `NOCTURNE_DATABASE_URL`, or else the embedded cluster under
/// `.nocturne/postgres`, started (and initialised) on demand.
///
/// The embedded cluster is migrated automatically; an external server must be
/// migrated on purpose (`nocturne db migrate`), so a command refuses to run
/// against one whose schema is behind.
struct DatabaseContext {
    let location: DatabaseLocation
    let store: PipelineStore

    static func open(logger: Logger, migrate: Bool = true) throws -> DatabaseContext {
        let location = DatabaseLocation.resolve(logger: logger)
        let url = try location.connectionURL()
        let connection = try DatabaseConnection(url: url, logger: logger)
        let migrator = try Migrator(directory: try ResourceLocator.schemaDirectory(), logger: logger)
        if case .embedded = location, migrate {
            _ = try migrator.migrate(connection)
        } else if migrate {
            let pending = try migrator.status(connection).filter { $0.appliedAt == nil }
            guard pending.isEmpty else {
                throw CommandFailure(
                    "the database at \(location.statusDescription) lacks \(pending.count) migration(s) "
                        + "(first: \(pending[0].migration.fileName)); run `nocturne db migrate`")
            }
        }
        return DatabaseContext(location: location, store: PipelineStore(connection: connection))
    }
}

/// A failure that ends a command with a message and a non-zero status.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
