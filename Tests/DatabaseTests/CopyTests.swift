import Database
import Foundation
import Testing
import TestSupport

@Suite("COPY")
struct CopyTests {
    @Test("100k candidate rows go in with COPY and are all counted")
    func copyCandidates() throws {
        let db = try TestDatabase.make()
        let lineage = try Lineage.insert(db.connection)
        let total = 100_000
        let rows = (0..<total).lazy.map { index in
            lineage.candidateValues(index: index, ra: Double(index % 36000) / 100, dec: Double(index % 1800) / 20 - 45)
        }
        let started = Date()
        let copied = try db.connection.copy(into: "candidates", columns: Lineage.candidateColumns, rows: rows)
        let seconds = Date().timeIntervalSince(started)
        print("COPY of \(total) candidate rows: \(String(format: "%.2f", seconds)) s, \(Int(Double(total) / seconds)) rows/s")
        #expect(copied == total)
        let stored = try db.connection.query("SELECT count(*) AS n, max(candidate_index) AS top FROM candidates")[0]
        #expect(try stored.decode(Int.self, "n") == total)
        #expect(try stored.decode(Int.self, "top") == total - 1)
    }

    @Test("text with tabs, newlines, backslashes and unicode, NULLs, bytea, arrays, JSON and times survive COPY")
    func copyEscaping() throws {
        let db = try TestDatabase.make(migrated: false)
        try db.connection.executeScript(
            "CREATE TABLE odd (id int, t text, b bytea, a float8[], s text[], j jsonb, ts timestamptz)")
        let texts = ["tab\there", "line\nbreak\r\n", #"back\slash\\ and \N"#, "ünïcødé 🌌 ☄︎", "", "\\."]
        let bytes = Data((0...255).map { UInt8($0) })
        let arrays: [Double] = [1.5, -0.0, .nan, .infinity, 1e-300]
        let strings = ["a,b", "{x}", "\"q\"", "NULL", "", "t\tn\n"]
        let time = Date(timeIntervalSince1970: 1_598_823_419.101_234)
        let rows: [[(any PostgresEncodable)?]] = texts.enumerated().map { index, text in
            [index, text, bytes, arrays, strings, JSONB(raw: #"{"k": "v\tw"}"#), time]
        } + [[99, nil, nil, nil, nil, nil, nil]]
        let copied = try db.connection.copy(into: "odd", columns: ["id", "t", "b", "a", "s", "j", "ts"], rows: rows)
        #expect(copied == texts.count + 1)

        for row in try db.connection.query("SELECT * FROM odd WHERE id < 99 ORDER BY id") {
            let index = try row.decode(Int.self, "id")
            #expect(try row.decode(String.self, "t") == texts[index])
            #expect(try row.decode(Data.self, "b") == bytes)
            let decoded = try row.decode([Double].self, "a")
            #expect(decoded.count == arrays.count && decoded[2].isNaN && decoded[3] == .infinity)
            #expect(try row.decode([String].self, "s") == strings)
            #expect(try row.decode(JSONB.self, "j").decode([String: String].self) == ["k": "v\tw"])
            #expect(try row.decode(Date.self, "ts").postgresText == time.postgresText)
        }
        let nulls = try db.connection.query("SELECT * FROM odd WHERE id = 99")[0]
        #expect(["t", "b", "a", "s", "j", "ts"].allSatisfy { nulls.isNull($0) })
    }

    @Test("a bad row cancels the whole COPY and leaves the connection usable")
    func copyFailures() throws {
        let db = try TestDatabase.make()
        let lineage = try Lineage.insert(db.connection)
        let wrongWidth = #expect(throws: DatabaseError.self) {
            try db.connection.copy(into: "candidates", columns: Lineage.candidateColumns, rows: [[1, 2]])
        }
        #expect(wrongWidth?.code == .invalidArgument)

        let rows = (0..<10).map { lineage.candidateValues(index: $0, ra: $0 == 7 ? 400 : 10) }
        let violation = #expect(throws: DatabaseError.self) {
            try db.connection.copy(into: "candidates", columns: Lineage.candidateColumns, rows: rows)
        }
        #expect(violation?.constraint == "candidates_ra_check")

        let badName = #expect(throws: DatabaseError.self) {
            try db.connection.copy(into: "candidates; DROP TABLE runs", columns: ["x"], rows: [[1]])
        }
        #expect(badName?.code == .invalidArgument)
        #expect(try db.connection.query("SELECT count(*) AS n FROM candidates")[0].decode(Int.self, "n") == 0)
    }
}
