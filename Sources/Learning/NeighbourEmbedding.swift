/// A DInsight-style neighbour-preserving embedding: a fixed low-dimensional map of a baseline
/// set of rows, into which new rows are projected one at a time.
///
/// The fit (`fit(rows:parameters:weights:baselineLimit:)`):
/// 1. reduces the rows with a `PCAReduction` (components start_dim ..< end_dim);
/// 2. keeps L = min(n, `baselineLimit`) evenly spaced rows as the baseline, rows ⌊b·n / L⌋ for
///    b = 0 ..< L (every row when n ≤ L). The limit (default 1500) exists because each
///    iteration visits every pair of baseline points;
/// 3. computes affinities P_ij = exp(−‖x_i − x_j‖² / (2σ²)) in the reduced space;
/// 4. places the baseline in `lowdim` dimensions by minimizing
///    L = w2·Σ P_ij·(−log q_ij) + w1'·Σ (1 − P_ij)·(−log(1 − q_ij + 1e-12)),
///    q_ij = 1 / (1 + a·‖y_i − y_j‖²), over unordered pairs, with Adam or SGD with momentum.
///
/// `project(_:)` places a new row against the fixed baseline with the same loss and optimizer.
/// Coordinates are in embedding units (the scale set by `a`); reduced coordinates are in
/// weighted z-score units. The value owns copies of all its arrays and is immutable once fitted,
/// so it is safe to share between threads. Everything is deterministic: the same input gives
/// bit-identical output.
public struct NeighbourEmbedding: Codable, Sendable {
    /// The parameters the embedding was fitted with.
    public let parameters: DInsightParameters
    /// The PCA pre-reduction applied to every row.
    public let reduction: PCAReduction
    /// For each baseline point, the index of its row in the rows given to `fit`.
    public let baselineRowIndices: [Int]
    /// The baseline's reduced coordinates, row-major baselineSize × reduction.outputDimension.
    let baselineReduced: [Double]
    /// The baseline's embedding coordinates, row-major baselineSize × lowdim.
    public let coordinates: [Double]
    /// σ of the affinities, in reduced-space units.
    public let bandwidth: Double
    /// The repulsion weight w1' in use (after `which_w1`).
    public let repulsionWeight: Double
    /// Median distance from a baseline point to its nearest other baseline point, in embedding
    /// units: the scale of the projection's stopping tolerance.
    public let neighbourScale: Double

    /// The default most baseline points. Each fit iteration visits every pair, so its cost grows
    /// as the square of the baseline size: about 17 ms per iteration at 1500 points (release
    /// build, one core of the 2-core AMD EPYC build machine), so up to about 17 s for imax = 1000.
    public static let defaultBaselineLimit = 1500
    /// Fewest rows `fit` accepts: fewer cannot define neighbourhoods or a distance quantile.
    public static let minimumRows = 10

    /// Number of baseline points.
    public var baselineSize: Int { baselineRowIndices.count }
    /// Dimensions of the embedding.
    public var lowdim: Int { parameters.lowdim }

    /// The baseline's embedding coordinates, one array of `lowdim` values per point (a copy of
    /// `coordinates`).
    public var baselineCoords: [[Double]] {
        (0..<baselineSize).map { Array(coordinates[($0 * lowdim)..<(($0 + 1) * lowdim)]) }
    }

    /// Fits an embedding on `rows` (n rows × d columns, finite).
    ///
    /// - Parameters:
    ///   - parameters: validated before use.
    ///   - weights: per-column weights for the PCA, applied after z-scoring (see `PCAReduction`).
    ///   - baselineLimit: most baseline points (≥ `minimumRows`); the PCA still sees every row.
    /// - Returns: the embedding and a report of the fit.
    /// - Throws: `LearningError` for invalid parameters, fewer than `minimumRows` rows, ragged or
    ///   non-finite rows, end_dim above the column count, or a zero bandwidth.
    public static func fit(
        rows: [[Double]], parameters: DInsightParameters, weights: [Double]? = nil,
        baselineLimit: Int = defaultBaselineLimit
    ) throws -> (NeighbourEmbedding, EmbeddingFitReport) {
        let clock = ContinuousClock()
        let start = clock.now
        try parameters.validate()
        guard rows.count >= minimumRows else {
            throw LearningError(key: "rows", "the embedding needs at least \(minimumRows) rows, got \(rows.count)")
        }
        guard baselineLimit >= minimumRows else {
            throw LearningError(key: "baselineLimit", "must be at least \(minimumRows), got \(baselineLimit)")
        }
        let reduction = try PCAReduction.fit(
            rows: rows, startDim: parameters.startDim, endDim: parameters.endDim, weights: weights)
        let size = min(rows.count, baselineLimit)
        let indices = (0..<size).map { $0 * rows.count / size }
        let r = reduction.outputDimension
        var reduced = [Double](repeating: 0, count: indices.count * r)
        reduced.withUnsafeMutableBufferPointer { out in
            for (b, row) in indices.enumerated() {
                rows[row].withUnsafeBufferPointer { reduction.project($0.baseAddress!, into: out.baseAddress! + b * r) }
            }
        }
        let problem = try EmbeddingProblem(reduced: reduced, count: indices.count, dimension: r, parameters: parameters)
        let result = problem.optimize(start: problem.initialCoordinates())
        let coordinates = result.coordinates
        let embedding = NeighbourEmbedding(
            parameters: parameters, reduction: reduction, baselineRowIndices: indices, baselineReduced: reduced,
            coordinates: coordinates, bandwidth: problem.bandwidth, repulsionWeight: problem.repulsionWeight,
            neighbourScale: EmbeddingNeighbours.medianNearestDistance(coordinates, count: indices.count, dimension: parameters.lowdim))
        let k = min(10, indices.count - 1)
        let report = EmbeddingFitReport(
            iterations: result.iterations, finalLoss: result.loss, converged: result.converged,
            neighbourPreservation: EmbeddingNeighbours.preservation(
                high: reduced, highDimension: r, low: coordinates, lowDimension: parameters.lowdim,
                count: indices.count, k: k),
            neighbourCount: k, inputRows: rows.count, baselineSize: indices.count, bandwidth: problem.bandwidth,
            repulsionWeight: problem.repulsionWeight, pcaIterations: reduction.solverIterations,
            pcaConverged: reduction.solverConverged, seconds: seconds(clock.now - start))
        return (embedding, report)
    }

    /// Memberwise, for `fit` and decoding.
    init(
        parameters: DInsightParameters, reduction: PCAReduction, baselineRowIndices: [Int], baselineReduced: [Double],
        coordinates: [Double], bandwidth: Double, repulsionWeight: Double, neighbourScale: Double
    ) {
        self.parameters = parameters
        self.reduction = reduction
        self.baselineRowIndices = baselineRowIndices
        self.baselineReduced = baselineReduced
        self.coordinates = coordinates
        self.bandwidth = bandwidth
        self.repulsionWeight = repulsionWeight
        self.neighbourScale = neighbourScale
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
