import Foundation
import Testing
import TestSupport

@testable import Database

@Suite("Migrations")
struct MigrationTests {
    @Test("migrating twice applies everything once")
    func migrateTwice() throws {
        let db = try TestDatabase.make(migrated: false)
        let migrator = try Migrator(directory: TestDatabase.schemaDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: TestDatabase.schemaDirectory.path)
            .filter { $0.hasSuffix(".sql") }
        let total = files.count
        #expect(total >= 5)
        #expect(migrator.migrations.map(\.version) == Array(1...total))
        #expect(try migrator.status(db.connection).allSatisfy { $0.appliedAt == nil })

        let first = try migrator.migrate(db.connection)
        #expect(first.map(\.fileName) == migrator.migrations.map(\.fileName))
        let second = try migrator.migrate(db.connection)
        #expect(second.isEmpty)

        let count = try db.connection.query("SELECT count(*) AS n FROM schema_migrations")[0].decode(Int.self, "n")
        #expect(count == total)
        let status = try migrator.status(db.connection)
        #expect(status.count == total && status.allSatisfy { $0.appliedAt != nil })
        let checksums = try db.connection.query("SELECT checksum FROM schema_migrations ORDER BY version")
            .map { try $0.decode(String.self, "checksum") }
        #expect(checksums == migrator.migrations.map(\.checksum))
    }

    @Test("an applied file that changed is refused, naming it")
    func changedFileRefused() throws {
        let folder = try SharedData.temporaryDirectory("nocturne-migrations")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.schemaDirectory.path) {
            try FileManager.default.copyItem(
                at: TestDatabase.schemaDirectory.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let db = try TestDatabase.make(migrated: false)
        try Migrator(directory: folder).migrate(db.connection)

        let edited = folder.appendingPathComponent("0002_preprocess_difference_candidates.sql")
        try (String(contentsOf: edited, encoding: .utf8) + "\n-- an innocent-looking edit\n")
            .write(to: edited, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatabaseError.self) { try Migrator(directory: folder).migrate(db.connection) }
        #expect(error?.code == .migrationFailed)
        #expect(error?.description.contains("0002_preprocess_difference_candidates.sql") == true)
        #expect(throws: DatabaseError.self) { try Migrator(directory: folder).verify(db.connection) }
    }

    @Test("malformed names and duplicate numbers are rejected, naming the files")
    func badFiles() throws {
        let folder = try SharedData.temporaryDirectory("nocturne-migrations")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1;".write(to: folder.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(try Migrator(directory: folder).migrations.count == 1)

        try "SELECT 1;".write(to: folder.appendingPathComponent("01_again.sql"), atomically: true, encoding: .utf8)
        let duplicate = #expect(throws: DatabaseError.self) { try Migrator(directory: folder) }
        #expect(duplicate?.message.contains("0001_first.sql") == true)
        #expect(duplicate?.message.contains("01_again.sql") == true)

        try FileManager.default.removeItem(at: folder.appendingPathComponent("01_again.sql"))
        try "SELECT 1;".write(to: folder.appendingPathComponent("second.sql"), atomically: true, encoding: .utf8)
        let malformed = #expect(throws: DatabaseError.self) { try Migrator(directory: folder) }
        #expect(malformed?.message.contains("second.sql") == true)
    }

    @Test("a failing migration rolls back and names its file")
    func failingMigration() throws {
        let folder = try SharedData.temporaryDirectory("nocturne-migrations")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE a (x int);".write(
            to: folder.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE b (x int); SELECT no_such_function();".write(
            to: folder.appendingPathComponent("0002_b.sql"), atomically: true, encoding: .utf8)
        let db = try TestDatabase.make(migrated: false)
        let error = #expect(throws: DatabaseError.self) { try Migrator(directory: folder).migrate(db.connection) }
        #expect(error?.message.contains("0002_b.sql") == true)
        #expect(error?.sqlState == "42883")
        let tables = try db.connection.query(
            "SELECT to_regclass('a') IS NOT NULL AS a, to_regclass('b') IS NOT NULL AS b")[0]
        #expect(try tables.decode(Bool.self, "a") && !tables.decode(Bool.self, "b"))
        #expect(try Migrator(directory: folder).status(db.connection).map { $0.appliedAt != nil } == [true, false])
    }

    @Test("two migrators at once apply each migration exactly once")
    func concurrentMigrators() async throws {
        let db = try TestDatabase.make(migrated: false)
        let migrator = try Migrator(directory: TestDatabase.schemaDirectory)
        let url = db.url
        async let first = Task.detached { try migrator.migrate(DatabaseConnection(url: url)).count }.value
        async let second = Task.detached { try migrator.migrate(DatabaseConnection(url: url)).count }.value
        let applied = try await first + second
        #expect(applied == migrator.migrations.count)
        let count = try db.connection.query("SELECT count(*) AS n FROM schema_migrations")[0].decode(Int.self, "n")
        #expect(count == migrator.migrations.count)
    }

}
