import ArgumentParser
import Configuration
import Database
import Foundation

/// `nocturne db …`: the database's lifecycle.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate, inspect and stop Nocturne's PostgreSQL.",
        discussion: """
            Without NOCTURNE_DATABASE_URL, Nocturne runs its own PostgreSQL under .nocturne/postgres \
            (Unix socket only). With it set, that server is used and nothing is started.
            """,
        subcommands: [Migrate.self, Status.self, Stop.self, URLCommand.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the migrations in schema/ that are not yet applied.")

        func run() throws {
            let logger = CommandLogging.logger("nocturne.db")
            let context = try DatabaseContext.open(logger: logger, migrate: false)
            let migrator = try Migrator(directory: try ResourceLocator.schemaDirectory(), logger: logger)
            let applied = try migrator.migrate(context.store.connection)
            if applied.isEmpty {
                print("schema is up to date (\(migrator.migrations.count) migrations)")
            } else {
                for migration in applied { print("applied \(migration.fileName)") }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say which database is in use and which migrations it has.")

        func run() throws {
            let logger = CommandLogging.logger("nocturne.db")
            let location = DatabaseLocation.resolve(logger: logger)
            print(location.statusDescription)
            // A stopped embedded cluster stays stopped: status must not start it.
            if case .embedded(let cluster) = location {
                guard case .running = cluster.status() else { return }
            }
            let context = try DatabaseContext.open(logger: logger, migrate: false)
            let migrator = try Migrator(directory: try ResourceLocator.schemaDirectory(), logger: logger)
            for (migration, appliedAt) in try migrator.status(context.store.connection) {
                print("  \(migration.fileName): \(appliedAt.map { "applied \($0)" } ?? "pending")")
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded PostgreSQL (an external server is left alone).")

        func run() throws {
            switch DatabaseLocation.resolve(logger: CommandLogging.logger("nocturne.db")) {
            case .external:
                print("NOCTURNE_DATABASE_URL names an external server; nothing to stop")
            case .embedded(let cluster):
                try cluster.stop()
                print(cluster.statusDescription)
            }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the connection URL (starting the embedded server), e.g. for psql.")

        func run() throws {
            let location = DatabaseLocation.resolve(logger: CommandLogging.logger("nocturne.db"))
            print(try location.connectionURL())
        }
    }
}
