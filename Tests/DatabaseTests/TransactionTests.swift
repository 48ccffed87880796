import Database
import Testing
import TestSupport

@Suite("Transactions")
struct TransactionTests {
    struct Planned: Error {}

    static func count(_ db: DatabaseConnection) throws -> Int {
        try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n")
    }

    @Test("a throwing body rolls back; a returning one commits")
    func rollbackOnThrow() throws {
        let db = try TestDatabase.make(migrated: false).connection
        try db.executeScript("CREATE TABLE t (x int UNIQUE)")
        #expect(throws: Planned.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO t VALUES (1), (2)")
                throw Planned()
            }
        }
        #expect(try Self.count(db) == 0)
        let value = try db.transaction { tx in try tx.execute("INSERT INTO t VALUES (3)") }
        #expect(value == 1)
        #expect(try Self.count(db) == 1)
    }

    @Test("a nested transaction rolls back alone, through a savepoint")
    func nested() throws {
        let db = try TestDatabase.make(migrated: false).connection
        try db.executeScript("CREATE TABLE t (x int UNIQUE)")
        try db.transaction { tx in
            try tx.execute("INSERT INTO t VALUES (1)")
            #expect(throws: DatabaseError.self) {
                try tx.transaction { inner in
                    try inner.execute("INSERT INTO t VALUES (2)")
                    try inner.execute("INSERT INTO t VALUES (1)")  // unique violation
                }
            }
            try tx.execute("INSERT INTO t VALUES (3)")
        }
        #expect(try db.query("SELECT x FROM t ORDER BY x").map { try $0.decode(Int.self, "x") } == [1, 3])
    }

    @Test("a statement error swallowed inside the body is not silently committed")
    func swallowedError() throws {
        let db = try TestDatabase.make(migrated: false).connection
        try db.executeScript("CREATE TABLE t (x int UNIQUE)")
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO t VALUES (1)")
                _ = try? tx.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error?.message.contains("aborted") == true)
        #expect(try Self.count(db) == 0)
        #expect(try db.query("SELECT 1 AS one").count == 1, "the connection is usable again")
    }
}
