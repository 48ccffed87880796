import Database
import Foundation
import Testing
import TestSupport

@Suite("Cone search")
struct ConeSearchTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Great-circle distance in degrees (haversine, stable for small angles).
    static func distance(_ ra1: Double, _ dec1: Double, _ ra2: Double, _ dec2: Double) -> Double {
        let radians = Double.pi / 180
        let dDec = (dec2 - dec1) * radians
        let dRA = (ra2 - ra1) * radians
        let h = pow(sin(dDec / 2), 2) + cos(dec1 * radians) * cos(dec2 * radians) * pow(sin(dRA / 2), 2)
        return 2 * asin(min(1, sqrt(h))) / radians
    }

    static func positions() -> [(ra: Double, dec: Double)] {
        var rng = SplitMix(state: 20_200_830)
        var points: [(Double, Double)] = []
        for _ in 0..<1500 {  // a band across RA 0/360
            let ra = Double.random(in: -3..<3, using: &rng)
            points.append(((ra + 360).truncatingRemainder(dividingBy: 360), Double.random(in: 5..<15, using: &rng)))
        }
        for _ in 0..<1500 {  // a cap around the north pole
            points.append((Double.random(in: 0..<360, using: &rng), Double.random(in: 86...90, using: &rng)))
        }
        for _ in 0..<500 {  // a smaller cap around the south pole
            points.append((Double.random(in: 0..<360, using: &rng), Double.random(in: -90 ... -86, using: &rng)))
        }
        for _ in 0..<1500 {  // the whole sky, uniform in area
            let dec = asin(Double.random(in: -1...1, using: &rng)) * 180 / .pi
            points.append((Double.random(in: 0..<360, using: &rng), dec))
        }
        points += [(0, 90), (180, 89.999), (0, 10), (359.999_999, 10), (0, -90)]
        return points
    }

    @Test(
        "finds exactly the points inside the cone",
        arguments: [
            (359.8, 10.0, 1.5), (0.3, 8.0, 2.5), (123.0, 89.2, 2.0), (300.0, 88.0, 3.0),
            (200.0, -30.0, 15.0), (0.0, -90.0, 5.0), (45.0, 20.0, 0.0),
        ])
    func cone(ra: Double, dec: Double, radius: Double) throws {
        let db = try TestDatabase.make()
        try db.connection.executeScript(
            """
            CREATE TABLE points (id integer PRIMARY KEY, ra double precision NOT NULL, dec double precision NOT NULL);
            CREATE INDEX points_q3c_idx ON points (q3c_ang2ipix(ra, dec));
            """)
        let points = Self.positions()
        try db.connection.copy(
            into: "points", columns: ["id", "ra", "dec"],
            rows: points.enumerated().map { [$0.offset, $0.element.ra, $0.element.dec] })
        try db.connection.executeScript("ANALYZE points")

        let found = Set(
            try db.connection.coneSearch(table: "points", ra: ra, dec: dec, radiusDegrees: radius, columns: ["id"])
                .map { try $0.decode(Int.self, "id") })
        var inside = Set<Int>()
        var ambiguous = Set<Int>()
        for (id, point) in points.enumerated() {
            let distance = Self.distance(ra, dec, point.ra, point.dec)
            if abs(distance - radius) < 1e-9 {
                ambiguous.insert(id)
            } else if distance < radius {
                inside.insert(id)
            }
        }
        #expect(found.subtracting(ambiguous) == inside)
        if radius > 1 { #expect(inside.count > 10, "the cone should hold a fair sample") }
    }

    @Test("an extra condition and its parameters are applied; identifiers are validated")
    func extraCondition() throws {
        let db = try TestDatabase.make()
        let lineage = try Lineage.insert(db.connection)
        for index in 0..<10 { try lineage.insertCandidate(db.connection, index: index, ra: 150 + Double(index) * 0.01) }
        let rows = try db.connection.coneSearch(
            table: "candidates", ra: 150, dec: 2, radiusDegrees: 0.5, columns: ["candidate_index", "ra"],
            where: "candidate_index >= $4", parameters: [5])
        #expect(Set(try rows.map { try $0.decode(Int.self, "candidate_index") }) == [5, 6, 7, 8, 9])
        #expect(rows.first?.columnNames == ["candidate_index", "ra"])
        #expect(throws: DatabaseError.self) {
            try db.connection.coneSearch(table: "candidates", ra: 150, dec: 2, radiusDegrees: 1, columns: ["id; --"])
        }
        #expect(throws: DatabaseError.self) {
            try db.connection.coneSearch(table: "candidates", ra: 150, dec: 95, radiusDegrees: 1)
        }
    }
}
