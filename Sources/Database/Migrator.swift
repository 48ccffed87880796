import Foundation
import Logging

/// Applies the numbered SQL files of a directory (`schema/`) to a database,
/// once each, and records them in `schema_migrations`.
///
/// - Each migration runs in its own transaction together with its
///   `schema_migrations` row, so a failure leaves no half-applied file.
///   Files must therefore not contain `BEGIN`/`COMMIT` or statements that
///   cannot run in a transaction (`CREATE INDEX CONCURRENTLY`).
/// - A session advisory lock serializes concurrent migrators (several stage
///   processes starting at once); the second waits, then finds nothing to do.
/// - An applied file whose SHA-256 no longer matches is refused: applied
///   migrations are history, changes go into a new file.
public struct Migrator: Sendable {
    /// The directory the migrations were read from.
    public let directory: URL
    /// All migrations found, in version order.
    public let migrations: [Migration]
    private let logger: Logger?

    /// Key of the advisory lock taken while migrating ("NOCTURNE" in ASCII).
    static let lockKey: Int64 = 0x4E4F_4354_5552_4E45

    /// Reads every `*.sql` file of `directory` (other files are ignored).
    /// - Throws: `.migrationFailed` naming the file for a malformed name or an
    ///   unreadable file, naming both files for a duplicate number, and when
    ///   the directory is missing or holds no migrations.
    public init(directory: URL, logger: Logger? = nil) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DatabaseError(.migrationFailed, "cannot list migrations directory \(directory.path): \(error)")
        }
        let files = names.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }
        let migrations = try files.map { try Migration(url: directory.appendingPathComponent($0)) }
            .sorted { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw DatabaseError(
                .migrationFailed,
                "migrations \(previous.fileName) and \(next.fileName) in \(directory.path) share the number \(next.version)")
        }
        guard !migrations.isEmpty else {
            throw DatabaseError(.migrationFailed, "no NNNN_name.sql migrations in \(directory.path)")
        }
        self.directory = directory
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every migration not yet recorded, in order, and returns them
    /// (empty when the database is up to date). Creates `schema_migrations` if needed.
    /// - Throws: `.migrationFailed` naming the file when an applied file has
    ///   changed, the database has a migration this directory lacks, or a
    ///   migration's SQL fails (with the server's SQLSTATE and message).
    @discardableResult
    public func migrate(_ db: DatabaseConnection) throws -> [Migration] {
        try withLock(db) {
            try db.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = try appliedMigrations(db)
            try verify(applied)
            var newlyApplied: [Migration] = []
            for migration in migrations where applied[migration.version] == nil {
                try apply(migration, to: db)
                newlyApplied.append(migration)
            }
            return newlyApplied
        }
    }

    /// Every migration of the directory with the time it was applied, or nil
    /// if pending. Changes nothing (not even creating `schema_migrations`).
    public func status(_ db: DatabaseConnection) throws -> [(migration: Migration, appliedAt: Date?)] {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        let applied = try exists.first?.decode(Bool.self, "present") == true ? appliedMigrations(db) : [:]
        return migrations.map { ($0, applied[$0.version]?.appliedAt) }
    }

    /// Checks applied migrations against the files without applying anything.
    /// - Throws: as `migrate` does for changed or unknown migrations.
    public func verify(_ db: DatabaseConnection) throws {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode(Bool.self, "present") == true else { return }
        try verify(appliedMigrations(db))
    }

    private struct Applied {
        let name: String
        let checksum: String
        let appliedAt: Date
    }

    private func appliedMigrations(_ db: DatabaseConnection) throws -> [Int: Applied] {
        var applied: [Int: Applied] = [:]
        for row in try db.query("SELECT version, name, checksum, applied_at FROM schema_migrations") {
            applied[try row.decode(Int.self, "version")] = Applied(
                name: try row.decode(String.self, "name"), checksum: try row.decode(String.self, "checksum"),
                appliedAt: try row.decode(Date.self, "applied_at"))
        }
        return applied
    }

    private func verify(_ applied: [Int: Applied]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw DatabaseError(
                    .migrationFailed,
                    "the database has migration \(version) (\(record.name)) applied, which is not in \(directory.path); this code is older than the database")
            }
            guard migration.checksum == record.checksum else {
                throw DatabaseError(
                    .migrationFailed,
                    "migration \(migration.url.path) was changed after it was applied on \(record.appliedAt) (recorded SHA-256 \(record.checksum.prefix(12))…, file now \(migration.checksum.prefix(12))…); put changes in a new migration file instead")
            }
        }
    }

    private func apply(_ migration: Migration, to db: DatabaseConnection) throws {
        let started = Date()
        do {
            try db.transaction { tx in
                try tx.executeScript(migration.sql)
                try tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
            }
        } catch let error as DatabaseError {
            let context = "migration \(migration.fileName) failed and was rolled back"
            throw error.prefixed(context, code: error.isConnectionFailure ? error.code : .migrationFailed)
        }
        logger?.info(
            "applied migration",
            metadata: [
                "file": "\(migration.fileName)",
                "ms": "\(Int(Date().timeIntervalSince(started) * 1000))",
            ])
    }

    /// Runs `body` holding the migration advisory lock on `db`'s session.
    private func withLock<T>(_ db: DatabaseConnection, _ body: () throws -> T) throws -> T {
        try db.query("SELECT pg_advisory_lock($1::bigint)", [Self.lockKey])
        defer { _ = try? db.query("SELECT pg_advisory_unlock($1::bigint)", [Self.lockKey]) }
        return try body()
    }
}
