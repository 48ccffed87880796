/// What happened during `NeighbourEmbedding.fit`: for logs, the model registry and tests.
public struct EmbeddingFitReport: Codable, Sendable, Equatable {
    /// Optimizer steps taken (≤ imax).
    public var iterations: Int
    /// The loss at the final coordinates, as the mean over baseline pairs of
    /// w2·P·(−log q) + w1'·(1 − P)·(−log(1 − q + 1e-12)) (dimensionless).
    public var finalLoss: Double
    /// True when the relative change of the loss fell below gamma0 before imax iterations.
    public var converged: Bool
    /// Mean over baseline points of the fraction of its `neighbourCount` nearest neighbours in
    /// the reduced space that are also among its `neighbourCount` nearest in the embedding
    /// (0…1; 1 is perfect).
    public var neighbourPreservation: Double
    /// The k used for `neighbourPreservation`: min(10, baselineSize − 1).
    public var neighbourCount: Int
    /// Rows given to the fit.
    public var inputRows: Int
    /// Rows kept as the baseline (evenly spaced input rows, see `NeighbourEmbedding.fit`).
    public var baselineSize: Int
    /// The Gaussian bandwidth σ, in reduced-space units (weighted z-scores).
    public var bandwidth: Double
    /// The repulsion weight w1' actually used (after `which_w1`).
    public var repulsionWeight: Double
    /// Iterations of the PCA eigen-solver, and whether it met its tolerance.
    public var pcaIterations: Int
    /// See `pcaIterations`.
    public var pcaConverged: Bool
    /// Wall time of the whole fit, in seconds. The only field that differs between runs.
    public var seconds: Double
}
