// The training half of `BoostedTrees`: per-feature quantile bins, and the growth of one
// depth-limited regression tree on gradient statistics. Nothing here is public; the fitted model
// keeps only raw thresholds, so prediction never needs the bins.

/// Split candidates for every feature, and every training value's bin, computed once per fit.
///
/// Bin b of feature f holds the values x with thresholds[f][b − 1] < x ≤ thresholds[f][b], so a
/// split "bin ≤ t goes left" is exactly "x ≤ thresholds[f][t] goes left". NaN sits in bin 0 and
/// therefore always goes left, which matches prediction's `x > threshold ? right : left`.
struct FeatureBins {
    /// Per feature, strictly increasing finite thresholds, at most `maxBins − 1` of them.
    let thresholds: [[Double]]
    /// Bin indices, feature-major: feature f of row i at `f * rowCount + i`.
    let binned: [UInt8]
    let rowCount: Int
    let featureCount: Int

    /// `maxBins` must lie in 2...256 so a bin index fits a byte.
    init(rows: [[Double]], featureCount: Int, maxBins: Int) {
        rowCount = rows.count
        self.featureCount = featureCount
        var thresholds: [[Double]] = []
        var binned = [UInt8](repeating: 0, count: rows.count * featureCount)
        for f in 0..<featureCount {
            let cuts = FeatureBins.cuts(rows.map { $0[f] }, maxBins: maxBins)
            thresholds.append(cuts)
            for i in 0..<rows.count {
                binned[f * rows.count + i] = UInt8(FeatureBins.bin(of: rows[i][f], in: cuts))
            }
        }
        self.thresholds = thresholds
        self.binned = binned
    }

    /// Thresholds at the i/maxBins quantiles of the finite values, deduplicated, and below the
    /// maximum, since a cut at the maximum would leave its right side empty.
    static func cuts(_ column: [Double], maxBins: Int) -> [Double] {
        let sorted = column.filter { $0.isFinite }.sorted()
        guard let top = sorted.last else { return [] }
        var cuts: [Double] = []
        for i in 1..<maxBins {
            let v = Quantile.ofSorted(sorted, Double(i) / Double(maxBins))
            let above = cuts.last.map { v > $0 } ?? true
            if above && v < top { cuts.append(v) }
        }
        return cuts
    }

    /// The first index b with x ≤ cuts[b], or cuts.count when x exceeds them all; NaN gives 0.
    static func bin(of x: Double, in cuts: [Double]) -> Int {
        if x.isNaN { return 0 }
        var lo = 0
        var hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x <= cuts[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// One grown tree, with node indices local to the tree and splits expressed as bin indices.
///
/// Children of node n are `left[n]` and `left[n] + 1`; a leaf has `feature[n] == -1`.
struct GrownTree {
    var feature: [Int32] = []
    var splitBin: [Int32] = []
    var left: [Int32] = []
    /// The unshrunk Newton step −ΣG / (ΣH + λ) at leaves; 0 at internal nodes.
    var value: [Double] = []
    /// The loss reduction of each split, indexed like the nodes (0 at leaves).
    var gain: [Double] = []
}

/// Grows depth-limited regression trees on (gradient, hessian) pairs, level by level.
///
/// Each level makes one pass over the rows per feature to fill histograms of Σg, Σh and the
/// row count per (open node, feature, bin); each open node then scans its histograms for the
/// best split. The order of every sum is fixed, so the result is deterministic.
struct TreeGrower {
    let bins: FeatureBins
    let depth: Int
    let minSamplesPerLeaf: Int
    let l2: Double
    /// Bins per feature in the histogram layout: the largest count over features.
    let stride: Int

    init(bins: FeatureBins, depth: Int, minSamplesPerLeaf: Int, l2: Double) {
        self.bins = bins
        self.depth = depth
        self.minSamplesPerLeaf = minSamplesPerLeaf
        self.l2 = l2
        stride = (bins.thresholds.map(\.count).max() ?? 0) + 1
    }

    private struct Stats {
        var g = 0.0
        var h = 0.0
        var count = 0
    }

    private struct Split {
        var feature: Int
        var bin: Int
        var gain: Double
        var left: Stats
        var right: Stats
    }

    /// Grows one tree. `nodeOf` (one entry per row, all zero on entry) ends holding each row's
    /// leaf, for every row; only rows with `sampled[i]` (all when nil) shape the tree.
    func grow(gradients: [Double], hessians: [Double], sampled: [Bool]?, nodeOf: inout [Int32]) -> GrownTree {
        var tree = GrownTree()
        var stats: [Stats] = [rootStats(gradients, hessians, sampled)]
        appendNode(&tree)
        var open = [0]
        for _ in 0..<depth where !open.isEmpty {
            let splittable = open.filter { stats[$0].count >= 2 * minSamplesPerLeaf }
            if splittable.isEmpty { break }
            let (hist, counts) = histograms(splittable, gradients, hessians, sampled, nodeOf, tree.feature.count)
            var next: [Int] = []
            for (slot, node) in splittable.enumerated() {
                guard let split = bestSplit(slot: slot, total: stats[node], hist: hist, counts: counts) else { continue }
                let child = tree.feature.count
                tree.feature[node] = Int32(split.feature)
                tree.splitBin[node] = Int32(split.bin)
                tree.left[node] = Int32(child)
                tree.gain[node] = split.gain
                appendNode(&tree)
                appendNode(&tree)
                stats.append(split.left)
                stats.append(split.right)
                next += [child, child + 1]
            }
            if !next.isEmpty { route(&nodeOf, tree) }
            open = next
        }
        for n in 0..<tree.feature.count where tree.feature[n] < 0 {
            tree.value[n] = -stats[n].g / (stats[n].h + l2)
        }
        return tree
    }

    private func appendNode(_ tree: inout GrownTree) {
        tree.feature.append(-1)
        tree.splitBin.append(0)
        tree.left.append(-1)
        tree.value.append(0)
        tree.gain.append(0)
    }

    private func rootStats(_ g: [Double], _ h: [Double], _ sampled: [Bool]?) -> Stats {
        var s = Stats()
        for i in 0..<g.count where sampled?[i] ?? true {
            s.g += g[i]
            s.h += h[i]
            s.count += 1
        }
        return s
    }

    /// Moves every row sitting on a node split this level to the child its bin selects.
    /// Rows on leaves stay: a node's rows move exactly once, at the level it splits.
    private func route(_ nodeOf: inout [Int32], _ tree: GrownTree) {
        let n = bins.rowCount
        bins.binned.withUnsafeBufferPointer { binned in
            for i in 0..<n {
                let node = Int(nodeOf[i])
                let f = Int(tree.feature[node])
                if f < 0 { continue }
                let goesRight = Int32(binned[f * n + i]) > tree.splitBin[node]
                nodeOf[i] = tree.left[node] + (goesRight ? 1 : 0)
            }
        }
    }

    /// Σg, Σh interleaved (2 per cell) and counts per cell, a cell being (slot, feature, bin).
    private func histograms(
        _ open: [Int], _ g: [Double], _ h: [Double], _ sampled: [Bool]?, _ nodeOf: [Int32], _ nodeCount: Int
    ) -> ([Double], [Int32]) {
        let n = bins.rowCount
        let featureCount = bins.featureCount
        var slotOfNode = [Int32](repeating: -1, count: nodeCount)
        for (slot, node) in open.enumerated() { slotOfNode[node] = Int32(slot) }
        // Resolved once per level, so the per-feature passes read one array.
        var rowSlot = [Int32](repeating: -1, count: n)
        for i in 0..<n where sampled?[i] ?? true { rowSlot[i] = slotOfNode[Int(nodeOf[i])] }
        let cells = open.count * featureCount * stride
        var hist = [Double](repeating: 0, count: 2 * cells)
        var counts = [Int32](repeating: 0, count: cells)
        bins.binned.withUnsafeBufferPointer { binned in
            hist.withUnsafeMutableBufferPointer { hist in
                counts.withUnsafeMutableBufferPointer { counts in
                    for f in 0..<featureCount {
                        let column = f * n
                        for i in 0..<n {
                            let slot = Int(rowSlot[i])
                            if slot < 0 { continue }
                            let cell = (slot * featureCount + f) * stride + Int(binned[column + i])
                            hist[2 * cell] += g[i]
                            hist[2 * cell + 1] += h[i]
                            counts[cell] += 1
                        }
                    }
                }
            }
        }
        return (hist, counts)
    }

    /// The split of largest positive gain, or nil. Ties keep the first found, which is the lowest
    /// feature index and then the lowest threshold, since both are scanned in ascending order.
    private func bestSplit(slot: Int, total: Stats, hist: [Double], counts: [Int32]) -> Split? {
        let parentScore = total.g * total.g / (total.h + l2)
        var best: Split?
        for f in 0..<bins.featureCount {
            let base = (slot * bins.featureCount + f) * stride
            var left = Stats()
            for t in 0..<bins.thresholds[f].count {
                left.g += hist[2 * (base + t)]
                left.h += hist[2 * (base + t) + 1]
                left.count += Int(counts[base + t])
                let rightCount = total.count - left.count
                if left.count < minSamplesPerLeaf { continue }
                if rightCount < minSamplesPerLeaf { break }
                let right = Stats(g: total.g - left.g, h: total.h - left.h, count: rightCount)
                let gain = left.g * left.g / (left.h + l2) + right.g * right.g / (right.h + l2) - parentScore
                if gain > (best?.gain ?? 0) {
                    best = Split(feature: f, bin: t, gain: gain, left: left, right: right)
                }
            }
        }
        return best
    }
}
