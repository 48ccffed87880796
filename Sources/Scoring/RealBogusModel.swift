import Foundation
import Learning

/// The real/bogus classifier: two boosted-tree models on the measured
/// features (``FeatureVector/measuredNames``), trained on a simulated
/// night's candidates labelled by its truth (train on fakes, as ZTF did):
/// one says whether a candidate is real (its confidence), the other
/// whether it is an instrumental artifact (for ``DetectionType/artifact``).
/// Stored as JSON in `models.artifact` (kind `real_bogus`).
public struct RealBogusModel: Codable, Sendable {
    /// Column names the models were fitted on, in order.
    public var features: [String]
    public var real: BoostedTrees
    public var artifact: BoostedTrees

    /// Confidence that the candidate is real and probability that it is an
    /// artifact, each 0–1, from its measured features.
    public func assess(_ measured: [Double]) -> (confidence: Double, artifact: Double) {
        (real.probability(measured), artifact.probability(measured))
    }

    /// Fits both models on labelled rows of measured features. Each class
    /// is weighted to the same total, so a night with a hundred artifacts
    /// per real transient still teaches what a transient looks like.
    public static func fit(_ rows: [[Double]], labels: [TrainingLabel],
                           parameters: BoostParameters = BoostParameters()) throws -> RealBogusModel {
        let isReal = labels.map { $0 == .real }, isArtifact = labels.map { $0 == .artifact }
        let real = try BoostedTrees.fit(rows: rows, labels: isReal, weights: balanced(isReal), parameters: parameters,
                                        featureNames: FeatureVector.measuredNames)
        let artifact = try BoostedTrees.fit(rows: rows, labels: isArtifact, weights: balanced(isArtifact),
                                            parameters: parameters, featureNames: FeatureVector.measuredNames)
        return RealBogusModel(features: FeatureVector.measuredNames, real: real, artifact: artifact)
    }

    /// Weights that give each class half the total.
    static func balanced(_ labels: [Bool]) -> [Double] {
        let positives = Double(labels.filter { $0 }.count), negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return labels.map { _ in 1 } }
        let n = Double(labels.count)
        return labels.map { $0 ? n / (2 * positives) : n / (2 * negatives) }
    }
}

/// What a training candidate truly is.
public enum TrainingLabel: String, Codable, Sendable, CaseIterable {
    /// Matches an injected transient, supernova, variable or moving object.
    case real
    /// Caused by a cosmic ray, hot pixel, the bad column or a satellite trail.
    case artifact
    /// Anything else: subtraction residuals of stars and galaxies, noise.
    case bogus
}
