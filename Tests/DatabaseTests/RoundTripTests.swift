import Foundation
import Testing
import TestSupport

@testable import Database

@Suite("Parameter and column round trips")
struct RoundTripTests {
    /// Sends `value` as `$1::cast`, reads it back, and returns what decoded.
    static func roundTrip<T: PostgresEncodable & PostgresDecodable>(
        _ db: DatabaseConnection, _ value: T, _ cast: String
    ) throws -> T {
        try db.query("SELECT $1::\(cast) AS v", [value])[0].decode(T.self, "v")
    }

    @Test("scalars")
    func scalars() throws {
        let db = try TestDatabase.make(migrated: false).connection
        for text in ["", "plain", "tab\tnew\nline\r\nback\\slash \"q\" 'a'", "ünïcødé 🌌 ☄︎ 東京", "NULL", "\\x00"] {
            #expect(try Self.roundTrip(db, text, "text") == text)
        }
        for value in [0, 1, -1, Int.max, Int.min] { #expect(try Self.roundTrip(db, value, "bigint") == value) }
        for value in [Int64.max, Int64.min] { #expect(try Self.roundTrip(db, value, "int8") == value) }
        for value in [Int32.max, Int32.min] { #expect(try Self.roundTrip(db, value, "int4") == value) }
        for value in [Int16.max, Int16.min] { #expect(try Self.roundTrip(db, value, "int2") == value) }
        for value in [0.1, -1e-300, Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, .pi, 1e16, 123_456.789e-20] {
            #expect(try Self.roundTrip(db, value, "float8") == value)
        }
        #expect(try Self.roundTrip(db, Double.nan, "float8").isNaN)
        #expect(try Self.roundTrip(db, Double.infinity, "float8") == .infinity)
        #expect(try Self.roundTrip(db, -Double.infinity, "float8") == -.infinity)
        for value: Float in [0.1, -3.4028235e38, 1.1754944e-38] { #expect(try Self.roundTrip(db, value, "float4") == value) }
        #expect(try Self.roundTrip(db, Float.nan, "float4").isNaN)
        #expect(try Self.roundTrip(db, true, "boolean") == true)
        #expect(try Self.roundTrip(db, false, "boolean") == false)
        let id = UUID()
        #expect(try Self.roundTrip(db, id, "uuid") == id)
    }

    @Test("timestamps keep their microseconds, in UTC")
    func timestamps() throws {
        let db = try TestDatabase.make(migrated: false).connection
        let dates = [
            Date(timeIntervalSince1970: 1_598_823_419.101_234), Date(timeIntervalSince1970: -0.000_001),
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_102_444_800.999_999),
            Date(timeIntervalSince1970: -2_208_988_800.5),
        ]
        for date in dates {
            let back = try Self.roundTrip(db, date, "timestamptz")
            #expect(abs(back.timeIntervalSince(date)) < 0.000_000_5)
            #expect(back.postgresText == date.postgresText)
        }
        let row = try db.query(
            "SELECT '2020-08-30 23:36:59.101+02'::timestamptz AS t, '2020-08-30'::date AS d, now() AS n")[0]
        #expect(row["t"] == "2020-08-30 21:36:59.101+00", "the session runs in UTC with ISO dates")
        #expect(try row.decode(Date.self, "t") == Date(timeIntervalSince1970: 1_598_823_419.101))
        #expect(try row.decode(Date.self, "d") == Date(timeIntervalSince1970: 1_598_745_600))
        #expect(abs(try row.decode(Date.self, "n").timeIntervalSinceNow) < 60)
    }

    @Test("bytea, arrays, JSONB and NULL")
    func composites() throws {
        let db = try TestDatabase.make(migrated: false).connection
        let bytes = Data((0...255).map { UInt8($0) } + [0, 0, 255])
        #expect(try Self.roundTrip(db, bytes, "bytea") == bytes)
        #expect(try Self.roundTrip(db, Data(), "bytea") == Data())

        let doubles: [Double] = [1.5, -2.25e-10, .infinity, -.infinity, 0]
        #expect(try Self.roundTrip(db, doubles, "float8[]") == doubles)
        #expect(try Self.roundTrip(db, [Double.nan], "float8[]")[0].isNaN)
        #expect(try Self.roundTrip(db, [Float(0.1), 2], "float4[]") == [0.1, 2])
        #expect(try Self.roundTrip(db, [1, -2, Int.max], "bigint[]") == [1, -2, Int.max])
        let strings = ["a,b", "{x}", "\"quoted\"", "back\\slash", "NULL", "", "  padded  ", "tab\tnew\nline", "🌌"]
        #expect(try Self.roundTrip(db, strings, "text[]") == strings)
        #expect(try Self.roundTrip(db, [String](), "text[]") == [])
        let ids = [UUID(), UUID()]
        #expect(try Self.roundTrip(db, ids, "uuid[]") == ids)

        struct Header: Codable, Equatable { var object: String; var exptime: Double; var tags: [String] }
        let header = Header(object: "LHS 3250 \"tab\"\t", exptime: 30.5, tags: ["a", "ü"])
        let json = try Self.roundTrip(db, try JSONB(header), "jsonb")
        #expect(try json.decode(Header.self) == header)
        let asData = try db.query("SELECT '{\"a\": 1}'::jsonb AS j")[0].decode(Data.self, "j")
        #expect(String(decoding: asData, as: UTF8.self) == #"{"a": 1}"#)

        let nulls = try db.query("SELECT $1::text AS a, $2::float8 AS b", [nil, Double?.none])[0]
        #expect(nulls.isNull("a") && nulls.isNull("b"))
        #expect(try nulls.decodeIfPresent(Double.self, "b") == nil)
    }

    @Test("decoding errors name the column and its text")
    func decodingErrors() throws {
        let db = try TestDatabase.make(migrated: false).connection
        let row = try db.query("SELECT 'abc'::text AS ra, NULL::float8 AS dec")[0]
        let wrongType = #expect(throws: DatabaseError.self) { try row.decode(Double.self, "ra") }
        #expect(wrongType?.code == .decodingFailed)
        #expect(wrongType?.description.contains("\"ra\"") == true && wrongType?.description.contains("abc") == true)
        let null = #expect(throws: DatabaseError.self) { try row.decode(Double.self, "dec") }
        #expect(null?.description.contains("\"dec\"") == true && null?.description.contains("NULL") == true)
        let missing = #expect(throws: DatabaseError.self) { try row.decodeIfPresent(Double.self, "decl") }
        #expect(missing?.description.contains("decl") == true)
        let nul = #expect(throws: DatabaseError.self) { try db.query("SELECT $1::text", ["a\0b"]) }
        #expect(nul?.code == .invalidArgument)
    }

    @Test("text formats parse as PostgreSQL prints them")
    func textFormats() {
        #expect(PostgresTimestamp.parse("2020-08-30 21:36:59.101+00") == Date(timeIntervalSince1970: 1_598_823_419.101))
        #expect(PostgresTimestamp.parse("2020-08-31 03:06:59+05:30") == Date(timeIntervalSince1970: 1_598_823_419))
        #expect(PostgresTimestamp.parse("1969-12-31 23:59:59.5-00:00:30") == Date(timeIntervalSince1970: 29.5))
        #expect(PostgresTimestamp.parse("0044-03-15 12:00:00+00 BC").map { PostgresTimestamp.format($0) }
            == "0044-03-15 12:00:00.000000+00 BC")
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.parse("2020-13-01") == nil)
        #expect(Date(timeIntervalSince1970: 1_598_823_419.101).postgresText == "2020-08-30T21:36:59.101000Z")
        #expect(PostgresArrayLiteral.parse("{1,2,3}") == ["1", "2", "3"])
        #expect(PostgresArrayLiteral.parse(#"{"a b","c\"d",NULL,"NULL",e\,f}"#) == ["a b", "c\"d", nil, "NULL", "e,f"])
        #expect(PostgresArrayLiteral.parse("[0:1]={7,8}") == ["7", "8"])
        #expect(PostgresArrayLiteral.parse("{{1,2},{3,4}}") == nil)
        #expect(PostgresArrayLiteral.parse("{}") == [])
        #expect([String].init(postgresText: "{a,NULL}", type: 0) == nil, "NULL elements do not decode")
    }
}
