import Foundation
import Learning
import Scoring

/// How the real/bogus classifier and the detection types do on a labelled
/// night that was not trained on: the figures `nocturne bench scoring`
/// prints and `models.metrics` keeps.
public struct ScoringEvaluation: Codable, Sendable {
    /// Real/bogus on every candidate the truth can call (real vs the rest).
    public var classifier: BinaryMetrics
    /// Detections (confidence ≥ threshold) that are bogus or artifacts, per image.
    public var falseDetectionsPerImage: Double
    /// Injected transients (transient, supernova_like) at expected S/N ≥ 10
    /// that became detections, over all of them (missed ones included).
    public var transientCompleteness: Fraction
    /// Artifact candidates typed artifact, over artifact candidates.
    public var artifactsTyped: Fraction
    /// Detections of each injected kind typed as that kind (transient
    /// counts supernova_like as right, and vice versa: a transient near a
    /// faint galaxy is both).
    public var variablesTyped: Fraction, movingTyped: Fraction, supernovaTyped: Fraction, transientsTyped: Fraction
    public var images: Int
    public var threshold: Double

    /// found / total.
    public struct Fraction: Codable, Sendable {
        public var found: Int, total: Int
        public var value: Double { total > 0 ? Double(found) / Double(total) : .nan }
    }

    /// Scores every candidate of `night` with `model` and the typing rules.
    public static func evaluate(_ model: RealBogusModel, on night: LabelledNight, threshold: Double,
                                typing: TypingRules, sameSourceRadius: Double) -> ScoringEvaluation {
        let seen = SameSourceIndex.seenElsewhere(night.candidates.map { ($0.field, $0.image, $0.ra, $0.dec) },
                                                 radiusArcsec: sameSourceRadius)
        var predicted: [Bool] = [], actual: [Bool] = []
        var falses = 0
        var tally: [String: (Int, Int)] = [:]
        func count(_ key: String, _ hit: Bool) {
            let t = tally[key, default: (0, 0)]
            tally[key] = (t.0 + (hit ? 1 : 0), t.1 + 1)
        }
        var bright: (found: Int, total: Int) = (0, 0)
        for (c, elsewhere) in zip(night.candidates, seen) {
            let (confidence, artifact) = model.assess(FeatureVector.measured(c.input))
            let type = typing.type(c.input, confidence: confidence, artifact: artifact, threshold: threshold,
                                   seenElsewhere: elsewhere)
            let detected = confidence >= threshold
            if let label = c.label {
                predicted.append(detected)
                actual.append(label == .real)
                if detected && label != .real { falses += 1 }
                if label == .artifact { count("artifact", type == .artifact) }
            }
            guard c.label == .real, detected else {
                if c.label == .real, ["transient", "supernova_like"].contains(c.kind), (c.expectedSNR ?? 0) >= 10 {
                    bright.total += 1
                }
                continue
            }
            if ["transient", "supernova_like"].contains(c.kind), (c.expectedSNR ?? 0) >= 10 {
                bright.found += 1
                bright.total += 1
            }
            switch c.kind {
            case "variable": count("variable", type == .variable)
            case "moving": count("moving", type == .moving)
            case "supernova_like": count("supernova_like", type == .supernovaLike || type == .transient)
            case "transient": count("transient", type == .transient || type == .supernovaLike)
            default: break
            }
        }
        for image in night.score.images {
            bright.total += image.missed.filter {
                ["transient", "supernova_like"].contains($0.kind) && ($0.expectedSNR ?? 0) >= 10
            }.count
        }
        func fraction(_ key: String) -> Fraction { Fraction(found: tally[key]?.0 ?? 0, total: tally[key]?.1 ?? 0) }
        return ScoringEvaluation(
            classifier: BinaryMetrics(predicted: predicted, actual: actual),
            falseDetectionsPerImage: Double(falses) / Double(max(night.images, 1)),
            transientCompleteness: Fraction(found: bright.found, total: bright.total),
            artifactsTyped: fraction("artifact"), variablesTyped: fraction("variable"), movingTyped: fraction("moving"),
            supernovaTyped: fraction("supernova_like"), transientsTyped: fraction("transient"), images: night.images,
            threshold: threshold)
    }

    /// Labelled rows of measured features for training.
    public static func trainingRows(_ night: LabelledNight) -> (rows: [[Double]], labels: [TrainingLabel]) {
        let usable = night.candidates.filter { $0.label != nil }
        return (usable.map { FeatureVector.measured($0.input) }, usable.map { $0.label! })
    }
}
