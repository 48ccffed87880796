/// A principal-component pre-reduction: z-score each column, weight it, and keep the principal
/// components `startDim ..< endDim` (0-based, by decreasing variance).
///
/// Units: inputs are in the caller's column units; the reduced coordinates are in weighted
/// z-score units, the projection of (x − mean) / std × weight onto each unit component. A
/// column's weight multiplies its z-score, so its share of the total variance scales with
/// weight²; a caller can thus give a block of 1024 stamp pixels less say than 13 measured
/// features. Constant columns (std ≤ 1e-12 × max(1, |mean|)) are ignored.
///
/// The value owns copies of everything it needs; it holds no references and is safe to share.
public struct PCAReduction: Codable, Sendable {
    /// Number of input columns.
    public let inputDimension: Int
    /// First kept component (0-based).
    public let startDim: Int
    /// One past the last kept component.
    public let endDim: Int
    /// Column means, in input units.
    public let means: [Double]
    /// Per column: weight / standard deviation (per input unit); 0 for ignored columns.
    public let scales: [Double]
    /// The kept components, row-major (endDim − startDim) × inputDimension: unit vectors in the
    /// weighted z-score space, each with its largest-magnitude entry positive.
    public let components: [Double]
    /// The variance along each kept component, in weighted z-score units².
    public let variances: [Double]
    /// Each kept component's share of the total weighted variance (0…1).
    public let explainedVarianceRatio: [Double]
    /// Subspace iterations the eigen-solver ran.
    public let solverIterations: Int
    /// Whether the eigen-solver met its tolerance before its iteration limit (see
    /// `SubspaceEigenSolver`); when false the components are still orthonormal, only less
    /// settled inside near-degenerate parts of the spectrum.
    public let solverConverged: Bool

    /// Number of reduced coordinates, endDim − startDim.
    public var outputDimension: Int { endDim - startDim }

    /// Fits the reduction on `rows` (n rows × d columns, all finite).
    ///
    /// - Parameters:
    ///   - weights: per-column weights (d values ≥ 0) applied after z-scoring; nil means 1.
    /// - Throws: `LearningError` for fewer than 2 rows, ragged or non-finite rows, bad weights,
    ///   or endDim > d.
    ///
    /// The covariance is formed once (n·d²/2 multiply-adds), then the top endDim eigenvectors
    /// come from block subspace iteration with Rayleigh–Ritz (`PCAReduction+Eigen.swift`), from a
    /// fixed starting basis: no full eigen-decomposition of the d × d matrix.
    public static func fit(rows: [[Double]], startDim: Int, endDim: Int, weights: [Double]? = nil) throws -> PCAReduction {
        let d = try checkShape(rows: rows, startDim: startDim, endDim: endDim, weights: weights)
        let n = rows.count
        let (means, scales) = standardization(rows: rows, weights: weights ?? [Double](repeating: 1, count: d))
        var z = [Double](repeating: 0, count: n * d)
        for (r, row) in rows.enumerated() {
            for j in 0..<d { z[r * d + j] = (row[j] - means[j]) * scales[j] }
        }
        let covariance = covarianceMatrix(z, rows: n, columns: d)
        var totalVariance = 0.0
        for j in 0..<d { totalVariance += covariance[j * d + j] }
        let eigen = SubspaceEigenSolver.top(endDim, of: covariance, size: d)
        let kept = endDim - startDim
        var components = [Double](repeating: 0, count: kept * d)
        for c in 0..<kept {
            let source = startDim + c
            var largest = 0.0, sign = 1.0
            for j in 0..<d where abs(eigen.vectors[source * d + j]) > largest {
                largest = abs(eigen.vectors[source * d + j])
                sign = eigen.vectors[source * d + j] < 0 ? -1 : 1
            }
            for j in 0..<d { components[c * d + j] = sign * eigen.vectors[source * d + j] }
        }
        let variances = (startDim..<endDim).map { max(0, eigen.values[$0]) }
        return PCAReduction(
            inputDimension: d, startDim: startDim, endDim: endDim, means: means, scales: scales,
            components: components, variances: variances,
            explainedVarianceRatio: variances.map { totalVariance > 0 ? $0 / totalVariance : 0 },
            solverIterations: eigen.iterations, solverConverged: eigen.converged)
    }

    /// The reduced coordinates of `x` (inputDimension values, input units): components
    /// startDim ..< endDim, in weighted z-score units.
    public func project(_ x: [Double]) -> [Double] {
        precondition(x.count == inputDimension, "PCAReduction.project: expected \(inputDimension) values, got \(x.count)")
        var out = [Double](repeating: 0, count: outputDimension)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in project(xp.baseAddress!, into: op.baseAddress!) }
        }
        return out
    }

    /// Writes the reduced coordinates of the `inputDimension` values at `x` to the
    /// `outputDimension` values at `out`. The hot path of out-of-sample projection: it
    /// allocates only a stack buffer.
    func project(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let d = inputDimension
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { zBuffer in
            let zp = zBuffer.baseAddress!
            means.withUnsafeBufferPointer { mp in
                scales.withUnsafeBufferPointer { sp in
                    for j in 0..<d { zp[j] = (x[j] - mp[j]) * sp[j] }
                }
            }
            components.withUnsafeBufferPointer { cp in
                for c in 0..<outputDimension { out[c] = EmbeddingMath.dot(cp.baseAddress! + c * d, zp, d) }
            }
        }
    }

    /// Validates the inputs of `fit` and returns the number of columns.
    private static func checkShape(rows: [[Double]], startDim: Int, endDim: Int, weights: [Double]?) throws -> Int {
        guard rows.count >= 2 else {
            throw LearningError(key: "rows", "PCA needs at least 2 rows, got \(rows.count)")
        }
        let d = rows[0].count
        guard d > 0 else { throw LearningError(key: "rows", "rows have no columns") }
        for (r, row) in rows.enumerated() {
            guard row.count == d else {
                throw LearningError(key: "rows", "row \(r) has \(row.count) columns, row 0 has \(d)")
            }
            if let j = row.firstIndex(where: { !$0.isFinite }) {
                throw LearningError(key: "rows", "row \(r), column \(j) is not a finite number")
            }
        }
        if let weights {
            guard weights.count == d else {
                throw LearningError(key: "weights", "expected \(d) column weights, got \(weights.count)")
            }
            if let j = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw LearningError(key: "weights", "weight of column \(j) must be a finite number ≥ 0")
            }
        }
        guard startDim >= 0, startDim < endDim else {
            throw LearningError(key: "start_dim", "must satisfy 0 ≤ start_dim < end_dim, got \(startDim) and \(endDim)")
        }
        guard endDim <= d else {
            throw LearningError(key: "end_dim", "\(endDim) components asked for, but the rows have only \(d) columns")
        }
        return d
    }

    /// Column means and weight / std, with constant columns given scale 0.
    private static func standardization(rows: [[Double]], weights: [Double]) -> (means: [Double], scales: [Double]) {
        let d = weights.count
        let n = Double(rows.count)
        var means = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { means[j] += row[j] } }
        for j in 0..<d { means[j] /= n }
        var sumSquares = [Double](repeating: 0, count: d)
        for row in rows {
            for j in 0..<d {
                let e = row[j] - means[j]
                sumSquares[j] += e * e
            }
        }
        var scales = [Double](repeating: 0, count: d)
        for j in 0..<d {
            let std = (sumSquares[j] / (n - 1)).squareRoot()
            // A column constant up to rounding would otherwise turn rounding noise into signal.
            if std > 1e-12 * max(1, abs(means[j])) { scales[j] = weights[j] / std }
        }
        return (means, scales)
    }

    /// ZᵀZ / (n − 1) for the row-major n × d matrix z, as a full row-major d × d matrix.
    ///
    /// Rows are taken in blocks so each row of the result is updated while it sits in cache;
    /// each entry still sums the rows in order 0, 1, … n − 1.
    static func covarianceMatrix(_ z: [Double], rows n: Int, columns d: Int) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        let block = 16
        z.withUnsafeBufferPointer { zb in
            c.withUnsafeMutableBufferPointer { cb in
                let zp = zb.baseAddress!, cp = cb.baseAddress!
                var start = 0
                while start < n {
                    let end = min(start + block, n)
                    for i in 0..<d {
                        let row = cp + i * d
                        for r in start..<end {
                            let zri = zp[r * d + i]
                            if zri == 0 { continue }
                            let zr = zp + r * d
                            for j in i..<d { row[j] += zri * zr[j] }
                        }
                    }
                    start = end
                }
                let norm = 1 / Double(n - 1)
                for i in 0..<d {
                    for j in i..<d {
                        let value = cp[i * d + j] * norm
                        cp[i * d + j] = value
                        cp[j * d + i] = value
                    }
                }
            }
        }
        return c
    }
}
