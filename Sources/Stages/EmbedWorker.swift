import Envelopes
import Foundation
import Logging
import Scoring
import StageRuntime
import Store

/// `nocturne-embed`: builds each candidate's feature vector (measured
/// features and normalized stamp, docs/features.md) and projects it, out
/// of sample, into the active DInsight-style map (``AnomalyModel``); the
/// coordinates are stored with the model that made them.
///
/// With no active map (a fresh database), items wait (``WorkNotReady``)
/// until the run's first `embed.bootstrap_observations` observations by
/// DATE-OBS are extracted; then the map is fitted on their candidates,
/// registered as `dinsight-bootstrap` and activated. Waiting for a fixed
/// set, rather than fitting on whatever is there, makes the bootstrap the
/// same whatever order the stages ran in. `nocturne model fit embedding`
/// replaces it with one fitted on a chosen baseline.
public final class EmbedWorker: StageWorker {
    public let name = "embed"
    public let inputStatus = ProgressStatus.extracted
    public let outputStatus = ProgressStatus.embedded
    let settings: EmbedSettings
    private let maps: ActiveModelCache<AnomalyModel>

    /// A worker with the `embed:` settings; `models.embedding` pins a map.
    public init(settings: EmbedSettings, models: ModelSelection = ModelSelection()) {
        self.settings = settings
        maps = ActiveModelCache(kind: ModelRegistry.embeddingKind, pinned: models.embedding.map { ($0, "models.embedding") })
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = Date()
        let candidates = try context.store.candidates(runID: item.runID, observationID: item.observationID,
                                                      stamps: .difference)
        guard !candidates.isEmpty else {
            return WorkResult(persist: { _ in }, downstream: [item.nextMessage(kind: .embedded, payload: "{}", frames: [])],
                              counts: ["embedded": 0])
        }
        let map = try activeMap(item: item, context: context)
        let rows = candidates.map {
            EmbeddingRecord(candidateID: $0.id, coords: map.model.embedding.project(FeatureVector.values(CandidateInput($0))))
        }
        let (runID, observationID, modelID) = (item.runID, item.observationID, map.id)
        let memory = ResourceUsage.peakMemoryBytes()
        let payload = JSONText.encode(["model": map.id.uuidString, "model_version": map.version])
        let envelope = item.nextMessage(kind: .embedded, payload: payload, ids: ["embedding_model": map.id.uuidString],
                                        frames: [])
        return WorkResult(persist: { store in
            try store.saveEmbeddings(rows, modelID: modelID, runID: runID)
            try store.recordModelRun(runID: runID, modelID: modelID, stage: "embed", observationID: observationID,
                                     items: rows.count, startedAt: started, finishedAt: Date(), peakMemoryBytes: memory)
        }, downstream: [envelope], counts: ["embedded": rows.count])
    }

    /// The active map, loaded once; fitted and activated when none exists.
    func activeMap(item: WorkItem, context: WorkContext) throws -> LoadedModel<AnomalyModel> {
        if let map = try maps.active(store: context.store, logger: context.logger) { return map }
        let first = try context.store.firstObservations(runID: item.runID, count: settings.bootstrapObservations)
        guard first.extracted else {
            throw WorkNotReady("no embedding map yet: waiting for the run's first \(first.ids.count) observations to be extracted")
        }
        let baseline = Array(try context.store.candidates(runID: item.runID, observationIDs: first.ids)
            .prefix(settings.baselineSize))
        context.logger.info("no active embedding model: fitting dinsight-bootstrap on \(baseline.count) candidates")
        do {
            let saved = try ModelRegistry.fitEmbedding(
                baseline, settings: settings, name: "dinsight-bootstrap",
                source: ["source": "first observations of run \(item.runID.uuidString.lowercased())",
                         "observations": first.ids.count],
                store: context.store, createdBy: context.instance, activate: true)
            context.logger.info("fitted embedding model dinsight-bootstrap v\(saved.version)")
        } catch {
            // Two instances may bootstrap at once; the loser's insert rolls back.
            guard try context.store.activeModelID(kind: ModelRegistry.embeddingKind) != nil else { throw error }
            context.logger.info("another instance activated an embedding model first; loading it (\(error))")
        }
        guard let map = try maps.active(store: context.store, logger: context.logger) else {
            throw StageError("fitted an embedding model but none is active")
        }
        return map
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
