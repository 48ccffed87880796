/// A uniform grid of buckets over points in the plane, for neighbour queries
/// in O(1) per query: crowding flags, star matching, nearest reference source.
public struct SpatialGrid: Sendable {
    private let cellSize: Double
    private let points: [PixelPoint]
    private var buckets: [Int64: [Int32]] = [:]

    /// Indexes `points`; queries are fastest with `cellSize` near the search
    /// radius.
    public init(points: [PixelPoint], cellSize: Double) {
        self.cellSize = cellSize
        self.points = points
        for (i, p) in points.enumerated() {
            buckets[key(cell(p.x), cell(p.y)), default: []].append(Int32(i))
        }
    }

    /// Indices of the points within `radius` of `point` (inclusive).
    public func neighbours(of point: PixelPoint, within radius: Double) -> [Int] {
        var found: [Int] = []
        let r2 = radius * radius
        let span = Int((radius / cellSize).rounded(.up))
        let cx = cell(point.x), cy = cell(point.y)
        for gy in (cy - span)...(cy + span) {
            for gx in (cx - span)...(cx + span) {
                guard let bucket = buckets[key(gx, gy)] else { continue }
                for i in bucket {
                    let p = points[Int(i)]
                    let dx = p.x - point.x, dy = p.y - point.y
                    if dx * dx + dy * dy <= r2 { found.append(Int(i)) }
                }
            }
        }
        return found
    }

    /// The index of the nearest point within `radius`, or nil.
    public func nearest(to point: PixelPoint, within radius: Double) -> Int? {
        var best: Int?
        var bestDistance = Double.infinity
        for i in neighbours(of: point, within: radius) {
            let p = points[i]
            let d = (p.x - point.x) * (p.x - point.x) + (p.y - point.y) * (p.y - point.y)
            if d < bestDistance {
                bestDistance = d
                best = i
            }
        }
        return best
    }

    private func cell(_ v: Double) -> Int { Int((v / cellSize).rounded(.down)) }
    private func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) &* 1_000_003 &+ Int64(y) }
}
