import Foundation
import Training

/// The held-out figures of the real/bogus classifier and the detection
/// types, as text for people and as `models.metrics` JSON.
enum ScoringReport {
    static func text(_ e: ScoringEvaluation) -> String {
        func f(_ x: ScoringEvaluation.Fraction, target: String) -> [String] {
            [String(format: "%.3f", x.value), "\(x.found)/\(x.total)", target]
        }
        var table = TextTable(["HELD-OUT FIGURE", "VALUE", "COUNT", "TARGET"])
        let c = e.classifier
        table.add(["real/bogus precision", String(format: "%.3f", c.precision),
                   "\(c.truePositives)/\(c.truePositives + c.falsePositives)", ""])
        table.add(["real/bogus recall", String(format: "%.3f", c.recall),
                   "\(c.truePositives)/\(c.truePositives + c.falseNegatives)", ""])
        table.add(["real/bogus F1", String(format: "%.3f", c.f1), "", ""])
        table.add(["false detections per image", String(format: "%.2f", e.falseDetectionsPerImage), "\(e.images) images", "<= 5"])
        table.add(["transients S/N>=10 detected"] + f(e.transientCompleteness, target: ">= 0.95"))
        table.add(["artifacts typed artifact"] + f(e.artifactsTyped, target: ">= 0.9"))
        table.add(["variables typed variable"] + f(e.variablesTyped, target: ">= 0.9"))
        table.add(["moving typed moving"] + f(e.movingTyped, target: ">= 0.8"))
        table.add(["supernovae typed supernova_like/transient"] + f(e.supernovaTyped, target: ""))
        table.add(["transients typed transient/supernova_like"] + f(e.transientsTyped, target: ""))
        return "confidence threshold \(e.threshold)\n" + table.render()
    }

    static func metrics(_ e: ScoringEvaluation) -> [String: Any] {
        func f(_ x: ScoringEvaluation.Fraction) -> [String: Any] { ["value": x.value.isFinite ? x.value : -1, "found": x.found, "total": x.total] }
        return [
            "precision": e.classifier.precision, "recall": e.classifier.recall, "f1": e.classifier.f1,
            "false_detections_per_image": e.falseDetectionsPerImage, "threshold": e.threshold, "images": e.images,
            "transient_completeness_snr10": f(e.transientCompleteness), "artifacts_typed": f(e.artifactsTyped),
            "variables_typed": f(e.variablesTyped), "moving_typed": f(e.movingTyped),
            "supernovae_typed": f(e.supernovaTyped), "transients_typed": f(e.transientsTyped),
        ]
    }
}
