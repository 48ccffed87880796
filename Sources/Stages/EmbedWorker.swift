import Envelopes
import Foundation
import Logging
import StageRuntime
import Store
import Synchronization

/// `nocturne-embed`: projects each candidate's feature vector into the
/// active embedding model and stores its coordinates with the model.
///
/// First version: the model is a PCA map (``PCAModel``). With no active
/// embedding model, the first item fits one on the newest candidates in the
/// database (`embed.baseline_size`) and activates it; every later candidate
/// is projected into that fixed map, out of sample.
public final class EmbedWorker: StageWorker {
    public let name = "embed"
    public let inputStatus = ProgressStatus.extracted
    public let outputStatus = ProgressStatus.embedded
    let settings: EmbedSettings
    private let models = EmbeddingModelCache()

    public init(settings: EmbedSettings) {
        self.settings = settings
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = Date()
        let candidates = try context.store.candidates(runID: item.runID, observationID: item.observationID)
        guard !candidates.isEmpty else {
            return WorkResult(persist: { _ in }, downstream: [item.nextMessage(kind: .embedded, payload: "{}", frames: [])],
                              counts: ["embedded": 0])
        }
        let model = try activeModel(context: context)
        let rows = candidates.map { EmbeddingRecord(candidateID: $0.id, coords: model.pca.project(FeatureVector.values($0))) }
        let (runID, observationID, modelID) = (item.runID, item.observationID, model.id)
        let memory = ResourceUsage.peakMemoryBytes()
        let payload = JSONText.encode(["model": model.id.uuidString, "model_version": model.version])
        let envelope = item.nextMessage(kind: .embedded, payload: payload,
                                                ids: ["embedding_model": model.id.uuidString], frames: [])
        return WorkResult(persist: { store in
            try store.saveEmbeddings(rows, modelID: modelID, runID: runID)
            try store.recordModelRun(runID: runID, modelID: modelID, stage: "embed", observationID: observationID,
                                     items: rows.count, startedAt: started, finishedAt: Date(), peakMemoryBytes: memory)
        }, downstream: [envelope], counts: ["embedded": rows.count])
    }

    /// The active model, loaded once; fitted and activated when none exists.
    func activeModel(context: WorkContext) throws -> LoadedModel {
        if let model = try models.active(store: context.store, logger: context.logger) { return model }
        let baseline = try context.store.baselineCandidates(limit: settings.baselineSize)
        guard baseline.count > settings.lowdim else {
            throw StageError("no active embedding model, and only \(baseline.count) candidates to fit one on")
        }
        let pca = PCAModel.fit(rows: baseline.map(FeatureVector.values), ids: baseline.map(\.id),
                               features: FeatureVector.names, lowdim: settings.lowdim, quantile: settings.thresholdQuantile)
        let artifact = try JSONEncoder().encode(pca)
        let parameters = JSONText.encode(["method": "pca", "lowdim": settings.lowdim,
                                          "threshold_quantile": settings.thresholdQuantile, "features": FeatureVector.names])
        let metrics = JSONText.encode(["eigenvalues": pca.eigenvalues, "distance_threshold": pca.distanceThreshold,
                                       "residual_threshold": pca.residualThreshold])
        do {
            let saved = try context.store.saveActiveModel(
                name: "pca-bootstrap", kind: "embedding", parameters: parameters, metrics: metrics,
                training: JSONText.encode(["candidates": baseline.count]), artifact: artifact, createdBy: context.instance)
            context.logger.info("fitted embedding model pca-bootstrap v\(saved.version) on \(baseline.count) candidates")
        } catch {
            context.logger.info("another instance activated an embedding model first; loading it (\(error))")
        }
        guard let model = try models.active(store: context.store, logger: context.logger) else {
            throw StageError("fitted an embedding model but none is active")
        }
        return model
    }
}

/// The active embedding model, decoded once per model: each item asks the
/// database only which model is active (a model activated meanwhile is
/// picked up at the next item), and the artifact, with its baseline, is
/// read and decoded only when that changes.
final class EmbeddingModelCache: Sendable {
    private let loaded = Mutex<LoadedModel?>(nil)

    func active(store: PipelineStore, logger: Logger) throws -> LoadedModel? {
        guard let id = try store.activeModelID(kind: "embedding") else { return nil }
        if let model = loaded.withLock({ $0 }), model.id == id { return model }
        guard let model = try LoadedModel.active(store: store) else { return nil }
        logger.info("embedding model \(model.name) v\(model.version) is active")
        loaded.withLock { $0 = model }
        return model
    }
}

/// An active embedding model with its decoded map.
struct LoadedModel: Sendable {
    var id: UUID
    var name: String
    var version: Int
    var pca: PCAModel

    static func active(store: PipelineStore) throws -> LoadedModel? {
        guard let record = try store.activeModel(kind: "embedding") else { return nil }
        do {
            return LoadedModel(id: record.id, name: record.name, version: record.version,
                               pca: try JSONDecoder().decode(PCAModel.self, from: record.artifact))
        } catch {
            throw StageError("the active embedding model \(record.name) v\(record.version) cannot be read: \(error)")
        }
    }
}

/// The process's peak resident memory, for `model_runs`.
enum ResourceUsage {
    static func peakMemoryBytes() -> Int? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss) * 1024  // Linux reports kilobytes
    }
}
