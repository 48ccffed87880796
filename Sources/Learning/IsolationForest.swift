import Foundation

/// An isolation forest (Liu, Ting & Zhou, 2008): an unsupervised anomaly scorer.
///
/// Each tree is grown on ψ rows drawn without replacement, splitting at a uniformly drawn value
/// between a node's minimum and maximum along a uniformly drawn feature, until a node holds one
/// row or the depth reaches ⌈log₂ ψ⌉. Anomalies sit in sparse regions, so random cuts isolate
/// them after few splits; the score turns the mean path length into a number in (0, 1).
///
/// Choices that differ from, or pin down, the paper:
/// - The feature is drawn among those not constant in the node (over finite values); a node
///   where all are constant becomes a leaf. This avoids wasted levels on constant columns.
/// - A row goes right when x > cut and left otherwise, so NaN always goes left. Extremes are
///   computed over finite values only; ±∞ are routed by the same comparison.
///
/// Deterministic: randomness comes only from a `SplitMix64` seeded by the caller. An immutable
/// value; all trees' nodes live in flat arrays so scoring allocates nothing.
public struct IsolationForest: Codable, Sendable {
    /// Names of the features, in the order of the columns of every row.
    public let featureNames: [String]
    /// ψ: the rows each tree was grown on (the requested sample size, capped at the row count).
    public let sampleSize: Int
    /// c(ψ): the mean path length of an unsuccessful search in a binary search tree of ψ keys,
    /// which normalises path lengths into scores.
    public let averagePathLength: Double
    /// Index of each tree's root in the node arrays.
    let roots: [Int32]
    /// Per node: the feature cut, or −1 at a leaf.
    let feature: [Int32]
    /// Per node: rows with x[feature] > cut go to `left + 1`, all others to `left`.
    let cut: [Double]
    /// Per node: the index of the left child; the right child follows it.
    let left: [Int32]
    /// Per leaf: its depth plus c(rows that reached it), the path-length estimate for a point
    /// ending there; 0 at internal nodes.
    let pathLength: [Double]

    private enum CodingKeys: String, CodingKey {
        case featureNames, sampleSize, averagePathLength, roots, feature, cut, left, pathLength
    }

    /// Number of trees in the forest.
    public var treeCount: Int { roots.count }

    /// Grows `trees` trees, each on `sampleSize` of `rows` drawn without replacement (all rows
    /// when there are fewer). Each row holds `featureNames.count` values, any units.
    ///
    /// Throws a `LearningError` with fewer than 2 rows, rows of the wrong width, fewer than one
    /// tree or a sample size below 2.
    public static func fit(
        rows: [[Double]], trees: Int = 100, sampleSize: Int = 256, seed: UInt64 = 1, featureNames: [String]
    ) throws -> IsolationForest {
        if rows.count < 2 { throw LearningError(key: "rows", "need at least 2 rows, got \(rows.count)") }
        if featureNames.isEmpty { throw LearningError(key: "featureNames", "no features") }
        if trees < 1 { throw LearningError(key: "trees", "must be at least 1, got \(trees)") }
        if sampleSize < 2 { throw LearningError(key: "sampleSize", "must be at least 2, got \(sampleSize)") }
        if let i = rows.firstIndex(where: { $0.count != featureNames.count }) {
            throw LearningError(
                key: "rows", "row \(i) has \(rows[i].count) values for \(featureNames.count) features")
        }
        let psi = min(sampleSize, rows.count)
        var grower = IsolationGrower(rows: rows, featureCount: featureNames.count, seed: seed)
        let heightLimit = Int(log2(Double(psi)).rounded(.up))
        for _ in 0..<trees { grower.growTree(sampleSize: psi, heightLimit: heightLimit) }
        return IsolationForest(
            featureNames: featureNames, sampleSize: psi, averagePathLength: averageSearchLength(psi),
            roots: grower.roots, feature: grower.feature, cut: grower.cut, left: grower.left,
            pathLength: grower.pathLength)
    }

    /// The anomaly score s = 2^(−E[h(x)] / c(ψ)) of `x` (one value per feature; a programming
    /// error otherwise), in (0, 1): near 1 for anomalies, about 0.5 or less for ordinary points.
    public func score(_ x: [Double]) -> Double {
        precondition(x.count == featureNames.count, "expected \(featureNames.count) features, got \(x.count)")
        var total = 0.0
        withLeaves(of: x) { _, leaf, _ in total += pathLength[leaf] }
        return exp2(-(total / Double(roots.count)) / averagePathLength)
    }

    /// Which features isolated `x`: up to `top` features with their shares (summing to 1 over
    /// all features credited), largest first, ties by column order.
    ///
    /// The rule: a tree where x's path length h ended shorter than c(ψ) isolated x sooner than
    /// an ordinary point; it spreads the weight c(ψ) − h evenly over the splits on x's path,
    /// each credit going to the split's feature. Trees with h ≥ c(ψ) credit nothing. So the
    /// features of early cuts in the trees that found x unusual receive most of the share.
    /// An x that no tree isolated early, or a `top` below 1, gets an empty list.
    public func attribution(_ x: [Double], top: Int) -> [(name: String, share: Double)] {
        precondition(x.count == featureNames.count, "expected \(featureNames.count) features, got \(x.count)")
        var credit = [Double](repeating: 0, count: featureNames.count)
        withLeaves(of: x) { root, leaf, depth in
            let weight = averagePathLength - pathLength[leaf]
            guard weight > 0, depth > 0 else { return }
            let each = weight / Double(depth)
            var n = root
            while feature[n] >= 0 {
                credit[Int(feature[n])] += each
                n = Int(left[n]) + (x[Int(feature[n])] > cut[n] ? 1 : 0)
            }
        }
        let total = credit.reduce(0, +)
        guard total > 0, top > 0 else { return [] }
        let order = credit.indices.filter { credit[$0] > 0 }
            .sorted { credit[$0] != credit[$1] ? credit[$0] > credit[$1] : $0 < $1 }
        return order.prefix(top).map { (name: featureNames[$0], share: credit[$0] / total) }
    }

    /// Calls `body(root, leaf, depth)` for every tree with the leaf x reaches and its depth.
    private func withLeaves(of x: [Double], _ body: (Int, Int, Int) -> Void) {
        x.withUnsafeBufferPointer { x in
            feature.withUnsafeBufferPointer { feature in
                cut.withUnsafeBufferPointer { cut in
                    left.withUnsafeBufferPointer { left in
                        for root in roots {
                            var n = Int(root)
                            var depth = 0
                            while feature[n] >= 0 {
                                n = Int(left[n]) + (x[Int(feature[n])] > cut[n] ? 1 : 0)
                                depth += 1
                            }
                            body(Int(root), n, depth)
                        }
                    }
                }
            }
        }
    }

    /// c(n) = 2·H(n − 1) − 2(n − 1)/n, the mean unsuccessful-search path length in a binary
    /// search tree of n keys, with c(2) = 1 and c(n ≤ 1) = 0. H is the harmonic number, summed
    /// exactly up to 64 and by ln + γ + 1/(2k) − 1/(12k²) above, where that is exact to ~1e-10.
    static func averageSearchLength(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        let k = n - 1
        let harmonic: Double
        if k <= 64 {
            harmonic = (1...k).reduce(0.0) { $0 + 1 / Double($1) }
        } else {
            let kd = Double(k)
            harmonic = log(kd) + 0.577_215_664_901_532_9 + 1 / (2 * kd) - 1 / (12 * kd * kd)
        }
        return 2 * harmonic - 2 * Double(k) / Double(n)
    }
}

extension IsolationForest {
    /// Decodes a forest and checks its node arrays, because scoring walks them without bounds
    /// checks: a damaged file must fail here, not crash later. Throws `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            featureNames: try c.decode([String].self, forKey: .featureNames),
            sampleSize: try c.decode(Int.self, forKey: .sampleSize),
            averagePathLength: try c.decode(Double.self, forKey: .averagePathLength),
            roots: try c.decode([Int32].self, forKey: .roots),
            feature: try c.decode([Int32].self, forKey: .feature),
            cut: try c.decode([Double].self, forKey: .cut),
            left: try c.decode([Int32].self, forKey: .left),
            pathLength: try c.decode([Double].self, forKey: .pathLength))
        if let problem = structuralProblem() {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "IsolationForest: \(problem)"))
        }
    }

    /// A description of the first inconsistency, or nil. Children must follow their parent,
    /// which also rules out cycles.
    private func structuralProblem() -> String? {
        let count = feature.count
        if cut.count != count || left.count != count || pathLength.count != count {
            return "node arrays of unequal lengths"
        }
        if roots.isEmpty { return "no trees" }
        if !(averagePathLength > 0) { return "average path length \(averagePathLength)" }
        if let r = roots.first(where: { $0 < 0 || Int($0) >= count }) { return "root \(r) out of range" }
        for n in 0..<count where feature[n] >= 0 {
            if Int(feature[n]) >= featureNames.count { return "node \(n) cuts feature \(feature[n])" }
            if Int(left[n]) <= n || Int(left[n]) + 1 >= count { return "node \(n) has child \(left[n])" }
        }
        if let n = feature.firstIndex(where: { $0 < -1 }) { return "node \(n) has feature \(feature[n])" }
        return nil
    }
}

/// Grows isolation trees into flat arrays, drawing everything from one `SplitMix64`.
fileprivate struct IsolationGrower {
    let rows: [[Double]]
    let featureCount: Int
    var rng: SplitMix64
    /// A permutation of the row indices whose prefix is each tree's sample.
    var order: [Int]
    var roots: [Int32] = []
    var feature: [Int32] = []
    var cut: [Double] = []
    var left: [Int32] = []
    var pathLength: [Double] = []

    init(rows: [[Double]], featureCount: Int, seed: UInt64) {
        self.rows = rows
        self.featureCount = featureCount
        rng = SplitMix64(seed: seed)
        order = Array(rows.indices)
    }

    /// Grows one tree on a fresh sample, breadth-first so that siblings are adjacent.
    mutating func growTree(sampleSize: Int, heightLimit: Int) {
        // A partial Fisher–Yates shuffle: the first sampleSize entries become a uniform sample
        // without replacement, whatever the permutation left by the previous tree.
        for i in 0..<sampleSize { order.swapAt(i, rng.nextInt(in: i..<order.count)) }
        var sample = Array(order[0..<sampleSize])
        roots.append(Int32(feature.count))
        appendNode()
        // Pending nodes: (node, range of `sample` holding its rows, depth).
        var queue: [(node: Int, range: Range<Int>, depth: Int)] = [(feature.count - 1, 0..<sampleSize, 0)]
        var head = 0
        while head < queue.count {
            let (node, range, depth) = queue[head]
            head += 1
            guard range.count > 1, depth < heightLimit, let picked = drawCut(sample[range]) else {
                pathLength[node] = Double(depth) + IsolationForest.averageSearchLength(range.count)
                continue
            }
            let (f, value) = picked
            let middle = partition(&sample, range, feature: f, cut: value)
            feature[node] = Int32(f)
            cut[node] = value
            left[node] = Int32(feature.count)
            appendNode()
            appendNode()
            queue.append((feature.count - 2, range.lowerBound..<middle, depth + 1))
            queue.append((feature.count - 1, middle..<range.upperBound, depth + 1))
        }
    }

    private mutating func appendNode() {
        feature.append(-1)
        cut.append(0)
        left.append(-1)
        pathLength.append(0)
    }

    /// A feature drawn among those with distinct finite values in the node, and a cut drawn
    /// uniformly in [min, max); nil when every feature is constant. Both sides get a row: the
    /// minimum goes left and the maximum, being above the cut, goes right.
    private mutating func drawCut(_ members: ArraySlice<Int>) -> (Int, Double)? {
        var lows = [Double](repeating: .infinity, count: featureCount)
        var highs = [Double](repeating: -.infinity, count: featureCount)
        for r in members {
            let row = rows[r]
            for f in 0..<featureCount where row[f].isFinite {
                lows[f] = min(lows[f], row[f])
                highs[f] = max(highs[f], row[f])
            }
        }
        let candidates = (0..<featureCount).filter { lows[$0] < highs[$0] }
        if candidates.isEmpty { return nil }
        let f = candidates[rng.nextInt(below: candidates.count)]
        var value = lows[f] + rng.nextUnit() * (highs[f] - lows[f])
        // Rounding can land on the maximum, which would empty the right side.
        if !(value < highs[f]) { value = lows[f] }
        return (f, value)
    }

    /// Reorders `sample[range]` so rows going left (x ≤ cut, or NaN) come first; returns the
    /// index of the first row going right.
    private func partition(_ sample: inout [Int], _ range: Range<Int>, feature f: Int, cut: Double) -> Int {
        var middle = range.lowerBound
        for i in range where !(rows[sample[i]][f] > cut) {
            sample.swapAt(i, middle)
            middle += 1
        }
        return middle
    }
}
