/// Brute-force nearest-neighbour searches over a row-major point array, for the embedding.
///
/// Ties in distance go to the lower index, so results never depend on anything but the data.
/// Brute force is deliberate: baselines hold at most a few thousand points in a few dimensions,
/// where a scan is a few microseconds and a tree would only add code.
enum EmbeddingNeighbours {
    /// Writes the `k` points nearest to `query` (ascending squared distance, then index) to
    /// `indices` and `squared`, skipping the point `excluded` (−1 for none). Returns how many
    /// were found: min(k, available points).
    @inline(__always)
    static func nearest(
        _ k: Int, to query: UnsafePointer<Double>, in points: UnsafePointer<Double>, count: Int, dimension: Int,
        excluding excluded: Int = -1, indices: UnsafeMutablePointer<Int>, squared: UnsafeMutablePointer<Double>
    ) -> Int {
        var found = 0
        for j in 0..<count where j != excluded {
            let d = EmbeddingMath.squaredDistance(query, points + j * dimension, dimension)
            if found == k, !(d < squared[k - 1]) { continue }
            var position = found == k ? k - 1 : found
            while position > 0, squared[position - 1] > d {
                squared[position] = squared[position - 1]
                indices[position] = indices[position - 1]
                position -= 1
            }
            squared[position] = d
            indices[position] = j
            if found < k { found += 1 }
        }
        return found
    }

    /// Writes to `indices` the positions of the `k` smallest of the `count` values at `values`
    /// (k ≤ count), ascending, ties to the lower position.
    @inline(__always)
    static func smallest(_ k: Int, of values: UnsafePointer<Double>, count: Int, into indices: UnsafeMutablePointer<Int>) {
        guard k > 0 else { return }
        var found = 0
        // The k-th smallest so far, kept in a register: most values fail this one comparison.
        var worst = Double.infinity
        for j in 0..<count {
            let d = values[j]
            if found == k, !(d < worst) { continue }
            var position = found == k ? k - 1 : found
            while position > 0, values[indices[position - 1]] > d {
                indices[position] = indices[position - 1]
                position -= 1
            }
            indices[position] = j
            if found < k { found += 1 }
            if found == k { worst = values[indices[k - 1]] }
        }
    }

    /// The `k` nearest points to `query` as (index, Euclidean distance), skipping `excluded`.
    static func nearest(
        _ k: Int, to query: [Double], in points: [Double], count: Int, dimension: Int, excluding excluded: Int = -1
    ) -> [(index: Int, distance: Double)] {
        let k = max(0, min(k, count))
        guard k > 0 else { return [] }
        var indices = [Int](repeating: 0, count: k)
        var squared = [Double](repeating: 0, count: k)
        let found = query.withUnsafeBufferPointer { qp in
            points.withUnsafeBufferPointer { pp in
                nearest(
                    k, to: qp.baseAddress!, in: pp.baseAddress!, count: count, dimension: dimension, excluding: excluded,
                    indices: &indices, squared: &squared)
            }
        }
        return (0..<found).map { (indices[$0], squared[$0].squareRoot()) }
    }

    /// Mean over points of the fraction of each point's k nearest neighbours in `high` that are
    /// also among its k nearest in `low` (0…1).
    static func preservation(high: [Double], highDimension: Int, low: [Double], lowDimension: Int, count: Int, k: Int) -> Double {
        guard k > 0 else { return 1 }
        var shared = 0
        for i in 0..<count {
            let inHigh = nearest(
                k, to: point(i, of: high, dimension: highDimension), in: high, count: count, dimension: highDimension,
                excluding: i)
            let inLow = nearest(
                k, to: point(i, of: low, dimension: lowDimension), in: low, count: count, dimension: lowDimension,
                excluding: i)
            let lowSet = inLow.map(\.index)
            for neighbour in inHigh where lowSet.contains(neighbour.index) { shared += 1 }
        }
        return Double(shared) / Double(count * k)
    }

    /// Median over points of the distance to the nearest other point (0 for fewer than 2).
    static func medianNearestDistance(_ points: [Double], count: Int, dimension: Int) -> Double {
        guard count > 1 else { return 0 }
        let distances = (0..<count).map { i in
            nearest(1, to: point(i, of: points, dimension: dimension), in: points, count: count, dimension: dimension, excluding: i)[0]
                .distance
        }
        return EmbeddingMath.quantile(sorted: distances.sorted(), 0.5)
    }

    /// Point `i` of a row-major array of `dimension`-value points.
    static func point(_ i: Int, of points: [Double], dimension: Int) -> [Double] {
        Array(points[(i * dimension)..<((i + 1) * dimension)])
    }
}
