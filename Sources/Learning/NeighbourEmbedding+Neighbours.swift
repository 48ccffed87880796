/// Neighbour queries in the embedding: which baseline points lie nearest to a position, and
/// how far a position is from the baseline. Distances are Euclidean, in embedding units.
extension NeighbourEmbedding {
    /// The `k` baseline points nearest to `coords` (`lowdim` values), nearest first, as
    /// (baseline index, distance). Ties go to the lower index. Map an index to an input row with
    /// `baselineRowIndices`. Returns min(k, baselineSize) entries.
    public func nearestBaseline(_ coords: [Double], k: Int) -> [(index: Int, distance: Double)] {
        precondition(coords.count == lowdim, "NeighbourEmbedding.nearestBaseline: expected \(lowdim) coordinates, got \(coords.count)")
        return EmbeddingNeighbours.nearest(k, to: coords, in: coordinates, count: baselineSize, dimension: lowdim)
    }

    /// The mean distance from `coords` (`lowdim` values) to its `k` nearest baseline points
    /// (embedding units; 0 when k ≤ 0): an anomaly score, large far from the baseline.
    public func knnDistance(_ coords: [Double], k: Int) -> Double {
        Self.mean(nearestBaseline(coords, k: k))
    }

    /// The mean distance from baseline point `index` to its `k` nearest other baseline points:
    /// the leave-one-out value of `knnDistance`, for calibrating thresholds on the baseline.
    /// Baseline points were placed by the fit, not by `project`; see the projection notes in
    /// `NeighbourEmbedding+Projection.swift` before using these alone as a threshold.
    public func knnDistance(ofBaseline index: Int, k: Int) -> Double {
        precondition((0..<baselineSize).contains(index), "NeighbourEmbedding.knnDistance: baseline index \(index) out of range")
        let own = EmbeddingNeighbours.point(index, of: coordinates, dimension: lowdim)
        return Self.mean(EmbeddingNeighbours.nearest(k, to: own, in: coordinates, count: baselineSize, dimension: lowdim, excluding: index))
    }

    /// `knnDistance(ofBaseline:k:)` for every baseline point, in baseline order.
    public func baselineKnnDistances(k: Int) -> [Double] {
        (0..<baselineSize).map { knnDistance(ofBaseline: $0, k: k) }
    }

    private static func mean(_ neighbours: [(index: Int, distance: Double)]) -> Double {
        guard !neighbours.isEmpty else { return 0 }
        var total = 0.0
        for neighbour in neighbours { total += neighbour.distance }
        return total / Double(neighbours.count)
    }
}
