import Envelopes
import Extraction
import Foundation
import Scoring
import StageRuntime
import Store

/// `nocturne-score`: turns candidates into detections and anomalies.
///
/// - Real/bogus: the active `real_bogus` model (``RealBogusModel``, fitted
///   by `nocturne model fit real-bogus` on a simulated night's truth) gives
///   each candidate a confidence and an artifact probability; a candidate
///   at or above `score.confidence_threshold` becomes a detection, typed by
///   ``TypingRules`` (moving needs the other epochs of the field, so
///   detections typed moving are re-typed when a later epoch shows the
///   source again). Without an active classifier, ``RealBogusHeuristic``
///   stands in and says so in the log and in `model_versions`.
/// - Anomalies: every candidate is scored against the active map
///   (``AnomalyModel``) from the coordinates the embed stage stored; one
///   beyond either threshold is an anomaly with its reasons.
public final class ScoreWorker: StageWorker {
    public let name = "score"
    public let inputStatus = ProgressStatus.embedded
    public let outputStatus = ProgressStatus.scored
    let settings: ScoreSettings
    private let maps: ActiveModelCache<AnomalyModel>
    private let classifiers: ActiveModelCache<RealBogusModel>

    /// A worker with the `score:` settings; `models:` may pin the map and
    /// the classifier instead of the active ones.
    public init(settings: ScoreSettings, models: ModelSelection = ModelSelection()) {
        self.settings = settings
        maps = ActiveModelCache(kind: ModelRegistry.embeddingKind, pinned: models.embedding.map { ($0, "models.embedding") })
        classifiers = ActiveModelCache(kind: ModelRegistry.realBogusKind, pinned: models.realBogus.map { ($0, "models.real_bogus") })
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = Date()
        let store = context.store
        let candidates = try store.candidates(runID: item.runID, observationID: item.observationID, stamps: .difference)
        let classifier = try classifiers.active(store: store, logger: context.logger)
        let fallback = classifier == nil ? try RealBogusHeuristic.registered(store: store, createdBy: context.instance) : nil
        if classifier == nil, !candidates.isEmpty {
            context.logger.warning("no active real_bogus model: the heuristic scores; fit one with nocturne model fit real-bogus")
        }
        let map = candidates.isEmpty ? nil : try maps.active(store: store, logger: context.logger)
        let coords = try map.map { try store.embeddings(runID: item.runID, observationID: item.observationID, modelID: $0.id) } ?? [:]
        let seen = try store.candidatesSeenElsewhere(runID: item.runID, observationID: item.observationID,
                                                     radiusArcsec: settings.sameSourceRadius)
        let versions = JSONText.encode([
            "embedding": map?.label ?? "none", "embedding_id": map?.id.uuidString ?? "",
            "real_bogus": classifier?.label ?? "\(RealBogusHeuristic.name) v\(fallback?.version ?? 0)",
            "real_bogus_id": (classifier?.id ?? fallback?.id)?.uuidString ?? "",
        ])
        var detections: [DetectionRecord] = [], anomalies: [AnomalyRecord] = []
        for c in candidates {
            let input = CandidateInput(c)
            let vector = FeatureVector.values(input)
            let measured = Array(vector[0..<FeatureVector.measuredNames.count])
            let (confidence, artifact) = classifier?.model.assess(measured) ?? (RealBogusHeuristic.confidence(c), 0)
            let type = settings.typing.type(input, confidence: confidence, artifact: artifact,
                                            threshold: settings.confidenceThreshold, seenElsewhere: seen.contains(c.id))
            var detectionID: UUID?
            if confidence >= settings.confidenceThreshold {
                let detection = DetectionRecord(
                    id: StableID.make("detection/\(c.id.uuidString.lowercased())"), candidateID: c.id,
                    confidence: confidence, type: type.rawValue, ra: c.ra, dec: c.dec, mag: c.mag, snr: c.snr,
                    artifactProbability: classifier == nil ? nil : artifact)
                detections.append(detection)
                detectionID = detection.id
            }
            if let map, let anomaly = Self.anomaly(c, vector: vector, coords: coords[c.id], detectionID: detectionID,
                                                   map: map.model, versions: versions) {
                anomalies.append(anomaly)
            }
        }
        let (runID, observationID, radius) = (item.runID, item.observationID, settings.sameSourceRadius)
        let (found, flagged, memory) = (detections, anomalies, ResourceUsage.peakMemoryBytes())
        let modelIDs = [classifier?.id ?? fallback?.id, map?.id].compactMap { $0 }
        let payload = JSONText.encode(["detections": detections.count, "anomalies": anomalies.count])
        let envelope = item.nextMessage(kind: .scored, payload: payload, frames: [])
        return WorkResult(persist: { store in
            try store.replaceScores(runID: runID, observationID: observationID, modelID: classifier?.id ?? fallback?.id,
                                    detections: found, anomalies: flagged)
            try store.retypeMovingSeenAgain(runID: runID, observationID: observationID, radiusArcsec: radius)
            for modelID in modelIDs {
                try store.recordModelRun(runID: runID, modelID: modelID, stage: "score", observationID: observationID,
                                         items: candidates.count, startedAt: started, finishedAt: Date(),
                                         peakMemoryBytes: memory)
            }
        }, downstream: [envelope], counts: ["detections": detections.count, "anomalies": anomalies.count])
    }

    /// The anomaly record when the candidate is beyond either threshold.
    static func anomaly(_ c: CandidateRecord, vector: [Double], coords: [Double]?, detectionID: UUID?, map: AnomalyModel,
                        versions: String) -> AnomalyRecord? {
        let a = map.assess(vector, coords: coords)
        guard let severity = a.severity else { return nil }
        let measured = zip(FeatureVector.measuredNames, vector).map { ($0, $1) }
        var features: [String: Any] = Dictionary(uniqueKeysWithValues: measured)
        features["distance_ratio"] = a.distanceRatio
        features["forest_ratio"] = a.forestRatio
        features["range_ratio"] = a.rangeRatio
        let top = a.topFeatures.map { ["feature": $0.name, "value": $0.value, "sigma": $0.sigma, "share": $0.share] as [String: Any] }
        return AnomalyRecord(
            id: StableID.make("anomaly/\(c.id.uuidString.lowercased())"), candidateID: c.id, detectionID: detectionID,
            embeddingDistance: a.distance, featureScore: a.forestScore, featureThreshold: map.forestThreshold,
            score: a.ratio, threshold: map.distanceThreshold, coords: a.coords, severity: severity.rawValue,
            features: JSONText.encode(features), topFeatures: JSONText.encode(array: top), modelVersions: versions,
            analogs: a.analogs, ra: c.ra, dec: c.dec)
    }
}
