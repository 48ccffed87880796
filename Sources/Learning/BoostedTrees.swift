import Foundation

/// Settings of a `BoostedTrees` fit. Every default is the one the real/bogus classifier uses.
public struct BoostParameters: Codable, Sendable, Equatable {
    /// Number of boosting rounds, one tree each. At least 1.
    public var trees: Int
    /// Maximum number of splits from root to leaf, in 1...16; a tree has at most 2^depth leaves.
    public var depth: Int
    /// Factor (the learning rate) applied to every leaf value, in (0, 1]. Smaller values need
    /// more trees but overfit less.
    public var shrinkage: Double
    /// Fewest training rows (sampled rows, unweighted) a leaf may hold. At least 1.
    public var minSamplesPerLeaf: Int
    /// Most bins per feature, in 2...256; split candidates are the bins' edges, at quantiles of
    /// each feature's finite training values, computed once per fit.
    public var bins: Int
    /// L2 penalty λ on leaf values, in the units of the summed hessians (so of the sample
    /// weights): a leaf's value is −Σg / (Σh + λ). Positive, which also keeps leaves finite.
    public var l2: Double
    /// Fraction of rows each tree sees, drawn independently per row and per tree, in (0, 1].
    /// 1 (the default) uses every row and draws nothing.
    public var subsample: Double
    /// Seed of the `SplitMix64` that draws the row subsamples; unused when `subsample` is 1.
    public var seed: UInt64

    /// Settings with the documented defaults, each overridable.
    public init(
        trees: Int = 200, depth: Int = 3, shrinkage: Double = 0.1, minSamplesPerLeaf: Int = 5,
        bins: Int = 64, l2: Double = 1, subsample: Double = 1, seed: UInt64 = 1
    ) {
        self.trees = trees
        self.depth = depth
        self.shrinkage = shrinkage
        self.minSamplesPerLeaf = minSamplesPerLeaf
        self.bins = bins
        self.l2 = l2
        self.subsample = subsample
        self.seed = seed
    }

    /// Throws a `LearningError` keyed by the first setting out of its range.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ rule: String) throws {
            if !ok { throw LearningError(key: key, "must be \(rule)") }
        }
        try check(trees >= 1, "trees", "at least 1, got \(trees)")
        try check(depth >= 1 && depth <= 16, "depth", "in 1...16, got \(depth)")
        try check(shrinkage > 0 && shrinkage <= 1, "shrinkage", "in (0, 1], got \(shrinkage)")
        try check(minSamplesPerLeaf >= 1, "minSamplesPerLeaf", "at least 1, got \(minSamplesPerLeaf)")
        try check(bins >= 2 && bins <= 256, "bins", "in 2...256, got \(bins)")
        try check(l2 > 0 && l2.isFinite, "l2", "positive and finite, got \(l2)")
        try check(subsample > 0 && subsample <= 1, "subsample", "in (0, 1], got \(subsample)")
    }
}

/// A binary classifier: gradient-boosted regression trees on the logistic loss.
///
/// Each round fits a depth-limited tree to the loss's gradients g = w·(p − y) and hessians
/// h = w·p·(1 − p) at the current log-odds, with Newton leaf values −Σg / (Σh + λ) scaled by the
/// shrinkage. The model predicts p = σ(base + Σ leaf values), base being the training set's
/// (weighted) log-odds.
///
/// Missing values: a NaN feature goes to the left (the "≤ threshold") side of every split, in
/// training and in prediction alike; nothing special is learnt for it. ±∞ are ordinary values.
///
/// Deterministic: no threads, fixed summation order, ties in split choice broken by lowest
/// feature index then lowest threshold, randomness only from the seeded `SplitMix64`. The same
/// inputs give a bit-identical model, encoding and predictions on every platform.
///
/// An immutable value; nodes of all trees live in flat arrays so prediction touches a few
/// contiguous buffers and allocates nothing.
public struct BoostedTrees: Codable, Sendable {
    /// Names of the features, in the order of the columns of every row.
    public let featureNames: [String]
    /// The settings the model was fitted with.
    public let parameters: BoostParameters
    /// Log-odds every prediction starts from: the training set's weighted base rate.
    public let baseScore: Double
    /// Index of each tree's root in the node arrays.
    let roots: [Int32]
    /// Per node: the feature tested, or −1 at a leaf.
    let feature: [Int32]
    /// Per node: rows with x[feature] > threshold go to `left + 1`, all others (NaN included)
    /// to `left`. Unused at leaves.
    let threshold: [Double]
    /// Per node: the index of the left child; the right child follows it.
    let left: [Int32]
    /// Per node: the shrunk leaf value in log-odds; 0 at internal nodes.
    let value: [Double]
    /// Per feature: the summed loss reduction of all splits on it.
    let gains: [Double]

    private enum CodingKeys: String, CodingKey {
        case featureNames, parameters, baseScore, roots, feature, threshold, left, value, gains
    }

    /// Number of trees in the model.
    public var treeCount: Int { roots.count }

    /// Number of nodes, leaves included, over all trees.
    public var nodeCount: Int { feature.count }

    /// Features ranked by their summed split gain (loss reduction), largest first, ties by
    /// column order. Features never split on appear with gain 0.
    public var featureImportance: [(name: String, gain: Double)] {
        let order = gains.indices.sorted { gains[$0] != gains[$1] ? gains[$0] > gains[$1] : $0 < $1 }
        return order.map { (name: featureNames[$0], gain: gains[$0]) }
    }

    /// Fits a model to `rows` (one array per sample, `featureNames.count` values each, any
    /// units) and `labels` (true = the positive class).
    ///
    /// `weights` (one per row, finite and ≥ 0) scale each row's loss, e.g. to balance the
    /// classes; nil means all 1. Throws a `LearningError` when there are no rows, when lengths
    /// disagree, when the parameters are out of range, or when only one class has weight.
    public static func fit(
        rows: [[Double]], labels: [Bool], weights: [Double]? = nil,
        parameters: BoostParameters = .init(), featureNames: [String]
    ) throws -> BoostedTrees {
        try parameters.validate()
        try checkInputs(rows: rows, labels: labels, weights: weights, featureNames: featureNames)
        let w = weights ?? [Double](repeating: 1, count: rows.count)
        var positive = 0.0
        var total = 0.0
        for i in 0..<rows.count {
            total += w[i]
            if labels[i] { positive += w[i] }
        }
        guard positive > 0, positive < total else {
            throw LearningError(key: "labels", "need both classes with positive weight to fit a classifier")
        }
        let base = log(positive / (total - positive))
        let bins = FeatureBins(rows: rows, featureCount: featureNames.count, maxBins: parameters.bins)
        var builder = BoostingRounds(featureCount: featureNames.count)
        builder.boost(bins: bins, labels: labels, weights: w, base: base, parameters: parameters)
        return BoostedTrees(
            featureNames: featureNames, parameters: parameters, baseScore: base, roots: builder.roots,
            feature: builder.feature, threshold: builder.threshold, left: builder.left,
            value: builder.value, gains: builder.gains)
    }

    private static func checkInputs(
        rows: [[Double]], labels: [Bool], weights: [Double]?, featureNames: [String]
    ) throws {
        if rows.isEmpty { throw LearningError(key: "rows", "no training rows") }
        if featureNames.isEmpty { throw LearningError(key: "featureNames", "no features") }
        if labels.count != rows.count {
            throw LearningError(key: "labels", "\(labels.count) labels for \(rows.count) rows")
        }
        if let i = rows.firstIndex(where: { $0.count != featureNames.count }) {
            throw LearningError(
                key: "rows", "row \(i) has \(rows[i].count) values for \(featureNames.count) features")
        }
        guard let weights else { return }
        if weights.count != rows.count {
            throw LearningError(key: "weights", "\(weights.count) weights for \(rows.count) rows")
        }
        if let i = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw LearningError(key: "weights", "weight \(i) is \(weights[i]); weights must be finite and ≥ 0")
        }
    }

    /// The model's log-odds for `x`, which must have one value per feature (a programming
    /// error otherwise). Unbounded; `probability` maps it to [0, 1].
    public func margin(_ x: [Double]) -> Double {
        precondition(x.count == featureNames.count, "expected \(featureNames.count) features, got \(x.count)")
        var sum = baseScore
        x.withUnsafeBufferPointer { x in
            feature.withUnsafeBufferPointer { feature in
                threshold.withUnsafeBufferPointer { threshold in
                    left.withUnsafeBufferPointer { left in
                        value.withUnsafeBufferPointer { value in
                            for root in roots {
                                var n = Int(root)
                                while feature[n] >= 0 {
                                    let goesRight = x[Int(feature[n])] > threshold[n]
                                    n = Int(left[n]) + (goesRight ? 1 : 0)
                                }
                                sum += value[n]
                            }
                        }
                    }
                }
            }
        }
        return sum
    }

    /// The probability, in [0, 1], that `x` (one value per feature) belongs to the positive class.
    public func probability(_ x: [Double]) -> Double {
        logistic(margin(x))
    }
}

/// σ(m) = 1 / (1 + e^−m), split by sign so exp never overflows into inf/inf.
fileprivate func logistic(_ m: Double) -> Double {
    if m >= 0 { return 1 / (1 + exp(-m)) }
    let e = exp(m)
    return e / (1 + e)
}

extension BoostedTrees {
    /// Decodes a model and checks its node arrays, because prediction walks them without bounds
    /// checks: a damaged file must fail here, not crash later. Throws `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            featureNames: try c.decode([String].self, forKey: .featureNames),
            parameters: try c.decode(BoostParameters.self, forKey: .parameters),
            baseScore: try c.decode(Double.self, forKey: .baseScore),
            roots: try c.decode([Int32].self, forKey: .roots),
            feature: try c.decode([Int32].self, forKey: .feature),
            threshold: try c.decode([Double].self, forKey: .threshold),
            left: try c.decode([Int32].self, forKey: .left),
            value: try c.decode([Double].self, forKey: .value),
            gains: try c.decode([Double].self, forKey: .gains))
        if let problem = structuralProblem() {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "BoostedTrees: \(problem)"))
        }
    }

    /// A description of the first inconsistency in the node arrays, or nil when walkable.
    /// Children must follow their parent, which also rules out cycles.
    private func structuralProblem() -> String? {
        let count = feature.count
        if threshold.count != count || left.count != count || value.count != count {
            return "node arrays of unequal lengths"
        }
        if gains.count != featureNames.count { return "\(gains.count) gains for \(featureNames.count) features" }
        if let r = roots.first(where: { $0 < 0 || Int($0) >= count }) { return "root \(r) out of range" }
        for n in 0..<count where feature[n] >= 0 {
            if Int(feature[n]) >= featureNames.count { return "node \(n) tests feature \(feature[n])" }
            if Int(left[n]) <= n || Int(left[n]) + 1 >= count { return "node \(n) has child \(left[n])" }
        }
        if let n = feature.firstIndex(where: { $0 < -1 }) { return "node \(n) has feature \(feature[n])" }
        return nil
    }
}

/// Runs the boosting rounds and accumulates the trees into the model's flat arrays.
fileprivate struct BoostingRounds {
    var roots: [Int32] = []
    var feature: [Int32] = []
    var threshold: [Double] = []
    var left: [Int32] = []
    var value: [Double] = []
    var gains: [Double]

    init(featureCount: Int) {
        gains = [Double](repeating: 0, count: featureCount)
    }

    mutating func boost(bins: FeatureBins, labels: [Bool], weights w: [Double], base: Double, parameters: BoostParameters) {
        let n = labels.count
        let shrinkage = parameters.shrinkage
        let grower = TreeGrower(
            bins: bins, depth: parameters.depth, minSamplesPerLeaf: parameters.minSamplesPerLeaf, l2: parameters.l2)
        var rng = SplitMix64(seed: parameters.seed)
        var score = [Double](repeating: base, count: n)
        var g = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: n)
        var nodeOf = [Int32](repeating: 0, count: n)
        var sampled: [Bool]? = parameters.subsample < 1 ? [Bool](repeating: false, count: n) : nil
        for _ in 0..<parameters.trees {
            for i in 0..<n {
                let p = logistic(score[i])
                g[i] = w[i] * (p - (labels[i] ? 1 : 0))
                h[i] = w[i] * p * (1 - p)
                nodeOf[i] = 0
            }
            if sampled != nil {
                for i in 0..<n { sampled![i] = rng.nextUnit() < parameters.subsample }
            }
            let tree = grower.grow(gradients: g, hessians: h, sampled: sampled, nodeOf: &nodeOf)
            append(tree, bins: bins, shrinkage: shrinkage)
            // The same products, added in the same order, as prediction will: training margins
            // equal predicted margins bit for bit.
            for i in 0..<n { score[i] += shrinkage * tree.value[Int(nodeOf[i])] }
        }
    }

    private mutating func append(_ tree: GrownTree, bins: FeatureBins, shrinkage: Double) {
        let offset = Int32(feature.count)
        roots.append(offset)
        for n in 0..<tree.feature.count {
            let f = Int(tree.feature[n])
            feature.append(tree.feature[n])
            if f >= 0 {
                threshold.append(bins.thresholds[f][Int(tree.splitBin[n])])
                left.append(offset + tree.left[n])
                value.append(0)
                gains[f] += tree.gain[n]
            } else {
                threshold.append(0)
                left.append(-1)
                value.append(shrinkage * tree.value[n])
            }
        }
    }
}
