import Foundation

/// A principal-component map fitted on a baseline of candidates, with the
/// thresholds anomaly scoring needs. Stored as JSON in `models.artifact`.
///
/// The embedding of a candidate is its standardized feature vector projected
/// on the first `lowdim` components. Its distance from the baseline is the
/// Mahalanobis distance in that plane, √Σ cᵢ²/λᵢ; its feature-space score
/// is the part the plane does not explain, ‖z − Cᵀc‖ over its baseline rms.
/// Thresholds are the configured quantile of each over the baseline.
struct PCAModel: Codable, Sendable {
    var features: [String]
    var mean: [Double]
    var scale: [Double]
    /// `lowdim` rows of `features.count` loadings.
    var components: [[Double]]
    var eigenvalues: [Double]
    /// Mean residual variance per feature outside the plane.
    var residualVariance: Double
    var quantile: Double
    var distanceThreshold: Double
    var residualThreshold: Double
    /// Baseline candidates and their coordinates, for nearest analogs.
    var baselineIDs: [UUID]
    var baselineCoords: [[Double]]

    /// Fits on `rows` (each `features.count` long).
    static func fit(rows: [[Double]], ids: [UUID], features: [String], lowdim: Int, quantile: Double) -> PCAModel {
        let d = features.count, n = Double(rows.count)
        let mean = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let scale = (0..<d).map { j in max((rows.reduce(0) { $0 + ($1[j] - mean[j]) * ($1[j] - mean[j]) } / max(n - 1, 1)).squareRoot(), 1e-6) }
        let z = rows.map { r in (0..<d).map { (r[$0] - mean[$0]) / scale[$0] } }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for r in z { for i in 0..<d { for j in 0..<d { covariance[i][j] += r[i] * r[j] / max(n - 1, 1) } } }
        let (values, vectors) = SymmetricEigen.decompose(covariance)
        let k = min(lowdim, d)
        var model = PCAModel(
            features: features, mean: mean, scale: scale, components: (0..<k).map { vectors[$0] },
            eigenvalues: (0..<k).map { max(values[$0], 1e-9) },
            residualVariance: max(values[k...].reduce(0, +) / Double(max(d - k, 1)), 1e-9), quantile: quantile,
            distanceThreshold: 1, residualThreshold: 1, baselineIDs: ids, baselineCoords: [])
        model.baselineCoords = rows.map { model.project($0) }
        let distances = rows.map { model.scores($0).distance }, residuals = rows.map { model.scores($0).residual }
        model.distanceThreshold = max(Self.quantile(distances, quantile), 1e-6)
        model.residualThreshold = max(Self.quantile(residuals, quantile), 1e-6)
        return model
    }

    /// The standardized vector.
    func standardized(_ x: [Double]) -> [Double] { (0..<mean.count).map { (x[$0] - mean[$0]) / scale[$0] } }

    /// Coordinates in the embedding.
    func project(_ x: [Double]) -> [Double] {
        let z = standardized(x)
        return components.map { c in zip(c, z).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Mahalanobis distance in the plane and normalized residual off it.
    func scores(_ x: [Double]) -> (coords: [Double], distance: Double, residual: Double) {
        let z = standardized(x), c = project(x)
        let distance = zip(c, eigenvalues).reduce(0) { $0 + $1.0 * $1.0 / $1.1 }.squareRoot()
        let explained = c.reduce(0) { $0 + $1 * $1 }, total = z.reduce(0) { $0 + $1 * $1 }
        let residual = (max(total - explained, 0) / Double(max(z.count - c.count, 1)) / residualVariance).squareRoot()
        return (c, distance, residual)
    }

    /// The `count` features furthest from the baseline mean, in σ.
    func topFeatures(_ x: [Double], count: Int = 3) -> [(name: String, sigma: Double)] {
        let z = standardized(x)
        return zip(features, z).sorted { (abs($0.1), $1.0) > (abs($1.1), $0.0) }.prefix(count).map { ($0.0, $0.1) }
    }

    /// The `k` nearest baseline candidates in the embedding.
    func analogs(_ coords: [Double], k: Int = 5) -> [UUID] {
        let distances = baselineCoords.enumerated().map { i, b in
            (zip(b, coords).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, i)
        }
        return distances.sorted { $0 < $1 }.prefix(k).map { baselineIDs[$0.1] }
    }

    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return 1 }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi
/// rotations: exact to rounding, deterministic, fine for tens of features.
enum SymmetricEigen {
    /// Eigenvalues in decreasing order and their unit eigenvectors (rows),
    /// each with its largest component positive so the sign is reproducible.
    static func decompose(_ matrix: [[Double]]) -> ([Double], [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { off += a[i][j] * a[i][j] } }
            if off < 1e-22 { break }
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) where abs(a[p][q]) > 1e-300 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
                for k in 0..<n {
                    let vkp = v[k][p], vkq = v[k][q]
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            } }
        }
        let order = (0..<n).sorted { (a[$0][$0], -$0) > (a[$1][$1], -$1) }
        let vectors = order.map { j -> [Double] in
            var column = (0..<n).map { v[$0][j] }
            if let big = column.max(by: { abs($0) < abs($1) }), big < 0 { column = column.map { -$0 } }
            return column
        }
        return (order.map { a[$0][$0] }, vectors)
    }
}
