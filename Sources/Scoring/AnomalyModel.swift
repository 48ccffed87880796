import Foundation
import Learning

/// The anomaly model of kind `embedding`: the DInsight-style map of a
/// baseline of candidates (``NeighbourEmbedding``) and an isolation forest
/// on their measured features, each with a threshold calibrated on the
/// baseline. Stored as JSON in `models.artifact`.
///
/// A candidate's three scores are its mean distance to its `k` nearest
/// baseline points in the map, its isolation-forest score, and its range
/// score: the largest, over the measured features, of how far the value
/// lies beyond the baseline's central range of that feature (an isolation
/// forest levels off for a point extreme in one feature among many, which
/// the range score catches). Each becomes a ratio (s − median) /
/// (threshold − median) over the baseline's distribution, 1 at the
/// configured quantile; the largest ratio gives the severity (``Severity``).
public struct AnomalyModel: Codable, Sendable {
    public var embedding: NeighbourEmbedding
    public var forest: IsolationForest
    /// Baseline candidates in the order of the embedding's baseline points.
    public var baselineIDs: [UUID]
    /// Neighbours for the distance and for the analogs.
    public var k: Int
    public var quantile: Double
    public var distanceMedian: Double, distanceThreshold: Double
    public var forestMedian: Double, forestThreshold: Double
    public var rangeMedian: Double, rangeThreshold: Double
    /// Per measured feature: the baseline's median and its (1 − q) and q
    /// quantiles, the central range the range score measures against.
    public var featureMedian: [Double], featureLow: [Double], featureHigh: [Double]
    /// Mean and standard deviation of each measured feature over the
    /// baseline, for the top features in σ.
    public var featureMean: [Double], featureScale: [Double]
    /// Baseline coordinates kept for plots: the points the map was fitted on.
    public var baselineCoords: [[Double]]

    /// Scores one candidate from its whole feature vector (measured +
    /// stamp), with its coordinates in the map when the embed stage already
    /// projected it (nil: project now).
    public func assess(_ vector: [Double], coords known: [Double]? = nil) -> AnomalyAssessment {
        let coords = known ?? embedding.project(vector)
        let measured = Array(vector[0..<featureMean.count])
        let neighbours = embedding.nearestBaseline(coords, k: k)
        let distance = neighbours.reduce(0) { $0 + $1.distance } / Double(max(neighbours.count, 1))
        let forestScore = forest.score(measured)
        let distanceRatio = Self.ratio(distance, median: distanceMedian, threshold: distanceThreshold)
        let forestRatio = Self.ratio(forestScore, median: forestMedian, threshold: forestThreshold)
        let (range, widest) = rangeScore(measured)
        let rangeRatio = Self.ratio(range, median: rangeMedian, threshold: rangeThreshold)
        let ratio = max(distanceRatio, forestRatio, rangeRatio)
        var names = forest.attribution(measured, top: 3).map { ($0.name, $0.share) }
        if rangeRatio >= max(distanceRatio, forestRatio), rangeRatio >= 1 {
            let name = FeatureVector.measuredNames[widest]
            names = [(name, names.first { $0.0 == name }?.1 ?? 0)] + names.filter { $0.0 != name }.prefix(2)
        }
        let top = names.map { name, share -> TopFeature in
            let j = FeatureVector.measuredNames.firstIndex(of: name) ?? 0
            return TopFeature(name: name, value: measured[j], sigma: (measured[j] - featureMean[j]) / featureScale[j],
                              share: share)
        }
        return AnomalyAssessment(
            coords: coords, distance: distance, distanceRatio: distanceRatio, forestScore: forestScore,
            forestRatio: forestRatio, rangeScore: range, rangeRatio: rangeRatio, ratio: ratio,
            severity: Severity.of(ratio: ratio), topFeatures: top, analogs: neighbours.map { baselineIDs[$0.index] })
    }

    /// The largest excess over the continuous measured features, (x −
    /// median) / (high − median) above the median or (median − x) /
    /// (median − low) below, and the feature it comes from (the first on
    /// ties). Counts and flags are left out: their central range is often a
    /// single value, against which any 1 would look infinitely far.
    public func rangeScore(_ measured: [Double]) -> (score: Double, feature: Int) {
        var best = (score: 0.0, feature: 0)
        for j in Self.rangeFeatures where j < featureMedian.count {
            let x = measured[j], m = featureMedian[j]
            let side = x >= m ? featureHigh[j] - m : m - featureLow[j]
            let width = max(side, 0.1 * (featureHigh[j] - featureLow[j]), 1e-3)
            let excess = abs(x - m) / width
            if excess > best.score { best = (excess, j) }
        }
        return best
    }

    /// Indices of the measured features the range score reads.
    static let rangeFeatures: [Int] = {
        let discrete: Set = ["nneg", "nbad", "is_positive", "flag_bad", "flag_blended", "flag_near_bright_star"]
        return FeatureVector.measuredNames.indices.filter { !discrete.contains(FeatureVector.measuredNames[$0]) }
    }()

    /// (s − median) / (threshold − median), guarded against a flat baseline.
    static func ratio(_ s: Double, median: Double, threshold: Double) -> Double {
        (s - median) / max(threshold - median, 1e-12)
    }
}

/// One candidate's anomaly scores and the reasons behind them.
public struct AnomalyAssessment: Sendable {
    /// Coordinates in the map.
    public var coords: [Double]
    /// Mean distance to the k nearest baseline points in the map, and its ratio.
    public var distance: Double, distanceRatio: Double
    /// Isolation-forest score (0–1), and its ratio.
    public var forestScore: Double, forestRatio: Double
    /// Range score (the largest excess of one feature), and its ratio.
    public var rangeScore: Double, rangeRatio: Double
    /// The largest of the three ratios.
    public var ratio: Double
    /// nil when the candidate is not an anomaly.
    public var severity: Severity?
    /// The measured features that isolated it, most first.
    public var topFeatures: [TopFeature]
    /// Its k nearest baseline candidates in the map.
    public var analogs: [UUID]
}

/// A feature that makes a candidate stand out.
public struct TopFeature: Codable, Sendable {
    public var name: String
    /// Its value, on the feature vector's scale.
    public var value: Double
    /// (value − baseline mean) / baseline standard deviation.
    public var sigma: Double
    /// Its share of the isolation forest's attribution, 0–1.
    public var share: Double
}
