import Foundation

/// A spatial hash over the sphere: Dec bands of fixed height, each cut into
/// RA cells about as wide on the sky as they are tall. A cone query visits
/// only the cells the cone can touch, so lookups cost a handful of
/// dictionary probes whatever the number of stored points.
///
/// Values are stored with their position; callers filter exact distances
/// themselves (the grid only narrows the candidates).
struct SkyGrid<Value> {
    struct Item {
        var ra: Double
        var dec: Double
        var vector: SkyVector
        var value: Value
    }

    /// Band height and nominal cell width, degrees.
    let cellDeg: Double
    private let bands: Int
    private var cells: [Int: [Item]] = [:]
    private(set) var count = 0

    /// `cellArcsec`: cell size; about the typical query radius or a little more.
    init(cellArcsec: Double) {
        cellDeg = max(cellArcsec, 0.1) / Sky.arcsecPerDegree
        bands = max(1, Int((180 / cellDeg).rounded(.up)))
    }

    private func band(_ dec: Double) -> Int { min(bands - 1, max(0, Int(((dec + 90) / cellDeg).rounded(.down)))) }

    /// RA cells in a band: enough that each is at least `cellDeg` wide on the sky at the band's widest edge.
    private func raCells(band b: Int) -> Int {
        let lowEdge = -90 + Double(b) * cellDeg
        let highEdge = lowEdge + cellDeg
        let nearestEquator = (lowEdge <= 0 && highEdge >= 0) ? 0 : min(abs(lowEdge), abs(highEdge))
        let n = Int((360 * cos(nearestEquator * .pi / 180) / cellDeg).rounded(.down))
        return max(1, min(n, 1 << 20))
    }

    private func key(band b: Int, cell c: Int) -> Int { b << 21 | c }

    private func cellIndex(ra: Double, cells n: Int) -> Int { min(n - 1, Int(Sky.normalizedRA(ra) / 360 * Double(n))) }

    /// Stores a value at a position (degrees).
    mutating func insert(ra: Double, dec: Double, value: Value) {
        let b = band(dec)
        let n = raCells(band: b)
        let item = Item(ra: Sky.normalizedRA(ra), dec: dec, vector: SkyVector(ra: ra, dec: dec), value: value)
        cells[key(band: b, cell: cellIndex(ra: ra, cells: n)), default: []].append(item)
        count += 1
    }

    /// Removes the values at a position (degrees) for which `match` is true.
    mutating func remove(ra: Double, dec: Double, where match: (Value) -> Bool) {
        let b = band(dec)
        let k = key(band: b, cell: cellIndex(ra: ra, cells: raCells(band: b)))
        guard var items = cells[k] else { return }
        let before = items.count
        items.removeAll { match($0.value) }
        count -= before - items.count
        cells[k] = items.isEmpty ? nil : items
    }

    /// Removes every value for which `match` is true (a full sweep; for pruning).
    mutating func removeAll(where match: (Value) -> Bool) {
        for (k, var items) in cells {
            let before = items.count
            items.removeAll { match($0.value) }
            count -= before - items.count
            cells[k] = items.isEmpty ? nil : items
        }
    }

    /// Calls `body` for every stored item that may lie within `radiusArcsec`
    /// of the position (a superset, in no particular order; the caller checks
    /// the exact distance and must not depend on the order).
    func forEachCandidate(ra: Double, dec: Double, radiusArcsec: Double, _ body: (Item) -> Void) {
        let ra = Sky.normalizedRA(ra)
        let r = min(radiusArcsec, Sky.maxRadiusArcsec) / Sky.arcsecPerDegree
        let b0 = band(max(-90, dec - r))
        let b1 = band(min(90, dec + r))
        // Near a pole, or for huge radii, a cone spans every RA.
        let cosDec = cos(dec * .pi / 180)
        let spansAllRA = dec + r >= 90 || dec - r <= -90 || sin(r * .pi / 180) >= cosDec
        let halfWidth = spansAllRA ? 180 : asin(sin(r * .pi / 180) / cosDec) * 180 / .pi
        // A query wider than the occupied cells is cheaper as a full scan.
        let widest = spansAllRA ? raCells(band: band(0)) : Int(2 * halfWidth / cellDeg) + 3
        if (b1 - b0 + 1) * widest > cells.count {
            for items in cells.values { items.forEach(body) }
            return
        }
        for b in b0...b1 {
            let n = raCells(band: b)
            let width = 360 / Double(n)
            // One spare cell each side absorbs rounding at cell edges.
            let first = Int(((ra - halfWidth) / width).rounded(.down)) - 1
            let last = Int(((ra + halfWidth) / width).rounded(.down)) + 1
            if spansAllRA || last - first + 1 >= n {
                for c in 0..<n { cells[key(band: b, cell: c)]?.forEach(body) }
            } else {
                for i in first...last { cells[key(band: b, cell: ((i % n) + n) % n)]?.forEach(body) }
            }
        }
    }
}
