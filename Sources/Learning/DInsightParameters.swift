/// The parameters of a DInsight-style neighbour-preserving embedding (`NeighbourEmbedding`).
///
/// Keys are snake_case, exactly the names in `names`. Decoding refuses unknown keys, refuses a
/// parameter the chosen optimizer does not use when it is given explicitly, and validates every
/// range (see `validate()`). Encoding writes only `usedParameters`, so an encoded value decodes
/// again; the values of unused parameters are ignored by the fit and are not stored.
///
/// Distances in the reduced space are in weighted z-score units (see `PCAReduction`); distances
/// in the embedding are in embedding units, the scale set by `a`.
public struct DInsightParameters: Codable, Sendable, Equatable {
    /// The gradient method that moves the embedding coordinates.
    public enum Optimizer: String, Codable, Sendable, CaseIterable {
        /// Adam: per-coordinate steps of about `alpha`, scaled by running moments of the gradient.
        case adam
        /// Gradient descent with heavy-ball momentum: steps of `eta` × gradient plus `beta` × the
        /// previous step.
        case sgd
    }

    /// How the weight of the repulsive term is set.
    public enum RepulsionRule: String, Codable, Sendable, CaseIterable {
        /// `w1` is relative to the attraction: the weight used is
        /// w1 × Σ P_ij / Σ (1 − P_ij) over the baseline pairs, so all repulsive pairs together
        /// weigh `w1` times what all attractive pairs weigh, whatever the baseline size or the
        /// bandwidth.
        case auto
        /// `w1` is used as given.
        case fixed
    }

    /// How the Gaussian bandwidth σ of the high-dimensional affinities is chosen.
    public enum BandwidthMode: String, Codable, Sendable, CaseIterable {
        /// σ is the `param_mode` quantile of the pairwise distances between baseline points in
        /// the reduced space.
        case quantile
        /// σ = `param_mode`, in reduced-space units (weighted z-scores).
        case fixed
    }

    /// Convergence tolerance (dimensionless, ≥ 0): the fit stops when the relative change of the
    /// loss between two iterations is below it. 0 runs all `imax` iterations. Out-of-sample
    /// projections stop on step length instead (see `NeighbourEmbedding.project`). [1e-7]
    public var gamma0: Double
    /// The gradient method. [adam]
    public var optimizer: Optimizer
    /// Adam's step size, in embedding units per iteration (> 0; adam only). [0.1]
    public var alpha: Double
    /// Maximum iterations of the fit (≥ 1). Each out-of-sample projection runs at most
    /// min(imax, `NeighbourEmbedding.projectionIterationLimit`). [1000]
    public var imax: Int
    /// Dimensions of the embedding (1…10, and at most end_dim − start_dim). [2]
    public var lowdim: Int
    /// SGD's learning rate, embedding units² per unit of loss (> 0; sgd only). [0.5]
    public var eta: Double
    /// Adam's guard against a zero denominator, in gradient units (> 0; adam only). [1e-8]
    public var epsilon: Double
    /// Adam's decay rate of the first gradient moment (0 < beta1 < 1; adam only). [0.9]
    public var beta1: Double
    /// Adam's decay rate of the second gradient moment (0 < beta2 < 1; adam only). [0.999]
    public var beta2: Double
    /// SGD's momentum: the fraction of the previous step carried into the next (0 ≤ beta < 1;
    /// sgd only). [0.5]
    public var beta: Double
    /// Scale of the low-dimensional similarity q(d) = 1 / (1 + a·d²), per embedding unit²
    /// (> 0). [0.8]
    public var a: Double
    /// Weight of the repulsive term, which pushes apart pairs that are not neighbours (≥ 0,
    /// dimensionless; see `which_w1`). [0.04]
    public var w1: Double
    /// Weight of the attractive term, which keeps neighbours together (≥ 0, dimensionless). [1]
    public var w2: Double
    /// Whether `w1` is rescaled against the attraction (`auto`) or used as given. [auto]
    public var whichW1: RepulsionRule
    /// How σ is chosen. [quantile]
    public var mode: BandwidthMode
    /// The quantile (0 < p < 1) in `quantile` mode; σ itself (> 0, reduced-space units) in
    /// `fixed` mode. [0.3]
    public var paramMode: Double
    /// First principal component kept by the pre-reduction, 0-based by decreasing variance. [0]
    public var startDim: Int
    /// One past the last principal component kept (start_dim < end_dim ≤ 64). [16]
    public var endDim: Int

    /// Creates parameters; every argument defaults to the documented default. Call `validate()`
    /// before use: the fit does.
    public init(
        gamma0: Double = 1e-7, optimizer: Optimizer = .adam, alpha: Double = 0.1, imax: Int = 1000,
        lowdim: Int = 2, eta: Double = 0.5, epsilon: Double = 1e-8, beta1: Double = 0.9,
        beta2: Double = 0.999, beta: Double = 0.5, a: Double = 0.8, w1: Double = 0.04, w2: Double = 1,
        whichW1: RepulsionRule = .auto, mode: BandwidthMode = .quantile, paramMode: Double = 0.3,
        startDim: Int = 0, endDim: Int = 16
    ) {
        self.gamma0 = gamma0
        self.optimizer = optimizer
        self.alpha = alpha
        self.imax = imax
        self.lowdim = lowdim
        self.eta = eta
        self.epsilon = epsilon
        self.beta1 = beta1
        self.beta2 = beta2
        self.beta = beta
        self.a = a
        self.w1 = w1
        self.w2 = w2
        self.whichW1 = whichW1
        self.mode = mode
        self.paramMode = paramMode
        self.startDim = startDim
        self.endDim = endDim
    }

    /// Every accepted key, in the order of the documentation.
    public static let names: [String] = [
        "gamma0", "optimizer", "alpha", "imax", "lowdim", "eta", "epsilon", "beta1", "beta2", "beta",
        "a", "w1", "w2", "which_w1", "mode", "param_mode", "start_dim", "end_dim",
    ]

    /// The keys only Adam uses.
    static let adamOnly: Set<String> = ["alpha", "epsilon", "beta1", "beta2"]
    /// The keys only SGD uses.
    static let sgdOnly: Set<String> = ["eta", "beta"]

    /// The keys the chosen optimizer does not use; giving one of them explicitly is refused.
    var unusedNames: Set<String> { optimizer == .adam ? Self.sgdOnly : Self.adamOnly }

    /// The parameters the chosen method uses, as (key, value) text in a fixed order, for a model
    /// registry. Numbers are written as Swift prints them, which is valid JSON.
    public var usedParameters: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = [("optimizer", optimizer.rawValue)]
        switch optimizer {
        case .adam:
            list += [("alpha", "\(alpha)"), ("beta1", "\(beta1)"), ("beta2", "\(beta2)"), ("epsilon", "\(epsilon)")]
        case .sgd:
            list += [("eta", "\(eta)"), ("beta", "\(beta)")]
        }
        list += [
            ("imax", "\(imax)"), ("gamma0", "\(gamma0)"), ("lowdim", "\(lowdim)"), ("a", "\(a)"),
            ("w1", "\(w1)"), ("which_w1", whichW1.rawValue), ("w2", "\(w2)"), ("mode", mode.rawValue),
            ("param_mode", "\(paramMode)"), ("start_dim", "\(startDim)"), ("end_dim", "\(endDim)"),
        ]
        return list
    }

    /// Checks every range; throws a `LearningError` naming the first parameter out of range.
    public func validate() throws {
        func require(_ ok: Bool, _ key: String, _ message: String) throws {
            if !ok { throw LearningError(key: key, message) }
        }
        try require(gamma0 >= 0 && gamma0.isFinite, "gamma0", "must be a finite number ≥ 0, got \(gamma0)")
        try require(imax >= 1, "imax", "must be at least 1, got \(imax)")
        try require((1...10).contains(lowdim), "lowdim", "must be between 1 and 10, got \(lowdim)")
        switch optimizer {
        case .adam:
            try require(alpha > 0 && alpha.isFinite, "alpha", "Adam's step size must be > 0, got \(alpha)")
            try require(epsilon > 0 && epsilon.isFinite, "epsilon", "Adam's denominator guard must be > 0, got \(epsilon)")
            try require(beta1 > 0 && beta1 < 1, "beta1", "must lie strictly between 0 and 1, got \(beta1)")
            try require(beta2 > 0 && beta2 < 1, "beta2", "must lie strictly between 0 and 1, got \(beta2)")
        case .sgd:
            try require(eta > 0 && eta.isFinite, "eta", "SGD's learning rate must be > 0, got \(eta)")
            try require(beta >= 0 && beta < 1, "beta", "SGD's momentum must satisfy 0 ≤ beta < 1, got \(beta)")
        }
        try require(a > 0 && a.isFinite, "a", "must be > 0, got \(a)")
        try require(w1 >= 0 && w1.isFinite, "w1", "must be a finite number ≥ 0, got \(w1)")
        try require(w2 >= 0 && w2.isFinite, "w2", "must be a finite number ≥ 0, got \(w2)")
        switch mode {
        case .quantile:
            try require(
                paramMode > 0 && paramMode < 1, "param_mode",
                "in quantile mode must lie strictly between 0 and 1, got \(paramMode)")
        case .fixed:
            try require(paramMode > 0 && paramMode.isFinite, "param_mode", "in fixed mode is σ itself and must be > 0, got \(paramMode)")
        }
        try require(startDim >= 0, "start_dim", "must be ≥ 0, got \(startDim)")
        try require(
            endDim > startDim && endDim <= 64, "end_dim",
            "must satisfy start_dim < end_dim ≤ 64, got start_dim \(startDim), end_dim \(endDim)")
        try require(
            lowdim <= endDim - startDim, "lowdim",
            "must not exceed the \(endDim - startDim) reduced dimensions (end_dim − start_dim), got \(lowdim)")
    }
}
