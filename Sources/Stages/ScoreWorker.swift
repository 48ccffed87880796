import Envelopes
import Extraction
import Foundation
import StageRuntime
import Store

/// `nocturne-score`: turns candidates into detections (real/bogus
/// confidence and a type) and flags the detections far from the baseline
/// as anomalies, each with its distance, threshold, severity, top features
/// and nearest baseline analogs.
///
/// First version: the confidence is a documented heuristic on S/N and the
/// real/bogus flags and features (``RealBogusHeuristic``), registered in
/// `models` so detections name it; the anomaly score comes from the active
/// embedding model's thresholds.
public final class ScoreWorker: StageWorker {
    public let name = "score"
    public let inputStatus = ProgressStatus.embedded
    public let outputStatus = ProgressStatus.scored
    let settings: ScoreSettings
    private let models = EmbeddingModelCache()

    public init(settings: ScoreSettings) {
        self.settings = settings
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = Date()
        let candidates = try context.store.candidates(runID: item.runID, observationID: item.observationID)
        let classifier = try RealBogusHeuristic.registered(store: context.store, createdBy: context.instance)
        let embedding = candidates.isEmpty ? nil : try models.active(store: context.store, logger: context.logger)
        var detections: [DetectionRecord] = []
        var anomalies: [AnomalyRecord] = []
        for c in candidates {
            let confidence = RealBogusHeuristic.confidence(c)
            guard confidence >= settings.confidenceThreshold else { continue }
            let detection = DetectionRecord(
                id: StableID.make("detection/\(c.id.uuidString.lowercased())"), candidateID: c.id, confidence: confidence,
                type: RealBogusHeuristic.type(c, variableRadius: settings.variableRadius), ra: c.ra, dec: c.dec,
                mag: c.mag, snr: c.snr)
            detections.append(detection)
            if let embedding, let anomaly = Self.anomaly(c, detection: detection, model: embedding, classifier: classifier) {
                anomalies.append(anomaly)
            }
        }
        let (runID, observationID) = (item.runID, item.observationID)
        let (found, flagged) = (detections, anomalies), memory = ResourceUsage.peakMemoryBytes()
        let payload = JSONText.encode(["detections": detections.count, "anomalies": anomalies.count])
        let envelope = item.nextMessage(kind: .scored, payload: payload, frames: [])
        return WorkResult(persist: { store in
            try store.replaceScores(runID: runID, observationID: observationID, modelID: classifier.id,
                                    detections: found, anomalies: flagged)
            try store.recordModelRun(runID: runID, modelID: classifier.id, stage: "score", observationID: observationID,
                                     items: candidates.count, startedAt: started, finishedAt: Date(), peakMemoryBytes: memory)
        }, downstream: [envelope], counts: ["detections": detections.count, "anomalies": anomalies.count])
    }

    /// The anomaly record when the candidate is beyond either threshold.
    static func anomaly(_ c: CandidateRecord, detection: DetectionRecord, model: LoadedModel,
                        classifier: (id: UUID, version: Int)) -> AnomalyRecord? {
        let x = FeatureVector.values(c)
        let s = model.pca.scores(x)
        let ratio = max(s.distance / model.pca.distanceThreshold, s.residual / model.pca.residualThreshold)
        guard let severity = Severity.of(ratio: ratio) else { return nil }
        let features = JSONText.encode(Dictionary(uniqueKeysWithValues: zip(FeatureVector.names, x)))
        let top = model.pca.topFeatures(x).map { ["feature": $0.name, "sigma": $0.sigma] as [String: Any] }
        let topText = JSONText.encode(array: top)
        let versions = JSONText.encode(["embedding": "\(model.name) v\(model.version)", "real_bogus": "\(RealBogusHeuristic.name) v\(classifier.version)"])
        return AnomalyRecord(
            id: StableID.make("anomaly/\(c.id.uuidString.lowercased())"), candidateID: c.id, detectionID: detection.id,
            embeddingDistance: s.distance, featureScore: s.residual, score: ratio * model.pca.distanceThreshold,
            threshold: model.pca.distanceThreshold, severity: severity, features: features, topFeatures: topText,
            modelVersions: versions, analogs: model.pca.analogs(s.coords), ra: c.ra, dec: c.dec)
    }
}

/// Severity from the ratio of a score to its threshold.
enum Severity {
    /// nil below 1; low below 1.5; medium below 2; high below 3; else critical.
    static func of(ratio: Double) -> String? {
        guard ratio.isFinite, ratio >= 1 else { return ratio.isInfinite ? "critical" : nil }
        switch ratio {
        case ..<1.5: return "low"
        case ..<2: return "medium"
        case ..<3: return "high"
        default: return "critical"
        }
    }
}

/// The first real/bogus score: a logistic in |S/N| (½ at 6σ), multiplied
/// down by the signs of a bogus candidate that ZTF's features capture:
/// bad, edge or saturated pixels (×0.3), more than 2 bad pixels in the 5×5
/// box (×0.5), a low sumrat (×0.5), a dipole (×0.4), a streak (×0.5), and a
/// profile much sharper than the PSF, as a cosmic ray's is (×0.3).
enum RealBogusHeuristic {
    static let name = "rb-heuristic"

    static func confidence(_ c: CandidateRecord) -> Double {
        var p = 1 / (1 + exp(-(abs(c.snr) - 6)))
        let flags = CandidateFlags(rawValue: c.flags)
        if !flags.isDisjoint(with: [.badPixels, .edge, .saturated]) { p *= 0.3 }
        if c.nbad > 2 { p *= 0.5 }
        if let s = c.sumrat, s < 0.6 { p *= 0.5 }
        if let d = c.dipole, d > 0.5 { p *= 0.4 }
        if let e = c.elongation, e > 2.5 { p *= 0.5 }
        if let r = JSONText.decode(c.features).optionalDouble("fwhm_ratio"), r < 0.5 { p *= 0.3 }
        return min(max(p, 0), 1)
    }

    /// variable on a reference source (or fading), else transient.
    static func type(_ c: CandidateRecord, variableRadius: Double) -> String {
        if !c.isPositive { return "variable" }
        if let d = c.distnr, d <= variableRadius { return "variable" }
        return "transient"
    }

    /// The heuristic's `models` row, registered on first use.
    static func registered(store: PipelineStore, createdBy: String) throws -> (id: UUID, version: Int) {
        if let model = try store.activeModel(kind: "real_bogus") { return (model.id, model.version) }
        let parameters = JSONText.encode(["method": "heuristic", "snr_midpoint": 6])
        do {
            let saved = try store.saveActiveModel(name: name, kind: "real_bogus", parameters: parameters, metrics: "{}",
                                                  training: "{}", artifact: Data(parameters.utf8), createdBy: createdBy)
            return saved
        } catch {
            guard let model = try store.activeModel(kind: "real_bogus") else { throw error }
            return (model.id, model.version)
        }
    }
}
