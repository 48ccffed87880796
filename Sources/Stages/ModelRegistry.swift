import Envelopes
import Foundation
import Learning
import Scoring
import Store

/// Fits and registers the models the embed and score stages load, so that
/// `nocturne model fit` and the embed stage's bootstrap fit the same way.
public enum ModelRegistry {
    /// `models.kind` of the anomaly map (``AnomalyModel``).
    public static let embeddingKind = "embedding"
    /// `models.kind` of the classifier (``RealBogusModel``).
    public static let realBogusKind = "real_bogus"

    /// Fits an anomaly map on stored candidates (their difference stamps
    /// selected) and stores it as the next version of `name`.
    /// - Returns: the stored id and version, and what the fit measured.
    public static func fitEmbedding(_ baseline: [CandidateRecord], settings: EmbedSettings, name: String,
                                    source: [String: Any], store: PipelineStore, createdBy: String,
                                    activate: Bool) throws -> (id: UUID, version: Int, report: AnomalyModel.FitReport) {
        let vectors = baseline.map { FeatureVector.values(CandidateInput($0)) }
        let started = Date()
        let (model, report) = try AnomalyModel.fit(vectors: vectors, ids: baseline.map(\.id), parameters: settings.dinsight,
                                                   quantile: settings.thresholdQuantile, k: settings.analogs)
        var parameters: [String: Any] = ["method": "dinsight", "threshold_quantile": settings.thresholdQuantile,
                                         "analogs": settings.analogs, "features": FeatureVector.measuredNames + ["f_0…f_1023"]]
        for p in settings.dinsight.usedParameters { parameters[p.name] = Double(p.value).map { $0 as Any } ?? p.value }
        var metrics = try ExactJSON.object(from: JSONEncoder().encode(report)) as? [String: Any] ?? [:]
        metrics["fit_seconds"] = Date().timeIntervalSince(started)
        var training = source
        training["candidates"] = baseline.count
        let saved = try save(model, name: name, kind: embeddingKind, parameters: parameters, metrics: metrics,
                             training: training, store: store, createdBy: createdBy, activate: activate)
        return (saved.id, saved.version, report)
    }

    /// Stores a fitted classifier with its held-out metrics.
    public static func saveRealBogus(_ model: RealBogusModel, name: String, parameters: [String: Any],
                                     metrics: [String: Any], training: [String: Any], store: PipelineStore,
                                     createdBy: String, activate: Bool) throws -> (id: UUID, version: Int) {
        try save(model, name: name, kind: realBogusKind, parameters: parameters, metrics: metrics, training: training,
                 store: store, createdBy: createdBy, activate: activate)
    }

    /// Stores any fitted model as the next version of `name`, audited.
    private static func save<M: Encodable>(_ model: M, name: String, kind: String, parameters: [String: Any],
                                           metrics: [String: Any], training: [String: Any], store: PipelineStore,
                                           createdBy: String, activate: Bool) throws -> (id: UUID, version: Int) {
        let saved = try store.saveModel(
            name: name, kind: kind, parameters: JSONText.encode(parameters), metrics: JSONText.encode(metrics),
            training: JSONText.encode(training), artifact: try ModelCoding.encode(model), createdBy: createdBy,
            activate: activate)
        try store.audit(actor: createdBy, action: "model.fit", entityType: "model", entityID: saved.id.uuidString,
                        details: JSONText.encode(["name": name, "kind": kind, "version": saved.version, "active": activate]))
        return saved
    }
}
