import Foundation

/// Which candidates of a night have a candidate of another image of the
/// same field at the same place: the batch form of the score stage's
/// "seen in another epoch" query, for benchmarks and training.
public enum SameSourceIndex {
    /// For each candidate (field, image, ra, dec in degrees), whether another
    /// image of its field has one within `radius` arcseconds.
    public static func seenElsewhere(_ items: [(field: String, image: String, ra: Double, dec: Double)],
                                     radiusArcsec radius: Double) -> [Bool] {
        let cell = radius / 3600
        var grid: [String: [Int]] = [:]
        func key(_ field: String, _ i: Int, _ j: Int) -> String { "\(field)|\(i)|\(j)" }
        func cellOf(_ ra: Double, _ dec: Double) -> (Int, Int) {
            (Int((ra * cos(dec * .pi / 180) / cell).rounded(.down)), Int((dec / cell).rounded(.down)))
        }
        for (n, item) in items.enumerated() {
            let (i, j) = cellOf(item.ra, item.dec)
            grid[key(item.field, i, j), default: []].append(n)
        }
        return items.map { item in
            let (i, j) = cellOf(item.ra, item.dec)
            for di in -1...1 {
                for dj in -1...1 {
                    for other in grid[key(item.field, i + di, j + dj)] ?? [] where items[other].image != item.image {
                        let o = items[other]
                        let dra = (o.ra - item.ra) * cos(item.dec * .pi / 180), ddec = o.dec - item.dec
                        if (dra * dra + ddec * ddec).squareRoot() * 3600 <= radius { return true }
                    }
                }
            }
            return false
        }
    }
}
