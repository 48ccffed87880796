import ArgumentParser
import Foundation
import Learning
import Scoring
import Stages
import Store
import Training

/// `nocturne model fit real-bogus`: trains the real/bogus and artifact
/// classifiers on simulated nights labelled by their truth (train on
/// fakes, as ZTF did), plus operators' labels when asked, and measures them
/// on a held-out night of another seed.
struct RealBogusFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "real-bogus",
        abstract: "Train the real/bogus classifier on simulated nights; measure it on a held-out night.")

    @Option(help: "A simulated night folder to train on (repeatable); default: one simulated with --seed.")
    var night: [String] = []
    @Option(help: "The held-out simulated night; default: one simulated with --holdout-seed.")
    var holdout: String?
    @Option var seed: UInt64 = 11
    @Option(name: .customLong("holdout-seed")) var holdoutSeed: UInt64 = 12
    @Option(help: "Side of simulated images, pixels.") var size = 2048
    @Option var fields = 3
    @Option var epochs = 8
    @Flag(name: .customLong("with-labels"), help: "Also train on candidates operators labelled (nocturne label).")
    var withLabels = false
    @Option(help: "Registry name.") var name = "rb-boosted"
    @Flag(name: .customLong("no-activate"), help: "Store the model without making it active.") var noActivate = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let document = try options.document()
        let score = try document.section(ScoreSettings.self, at: "score")
        let trainFolders = try night.isEmpty
            ? [TrainingNights.folder(seed: seed, size: size, fields: fields, epochs: epochs)]
            : night.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let heldOut = try holdout.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? TrainingNights.folder(seed: holdoutSeed, size: size, fields: fields, epochs: epochs)
        guard !trainFolders.contains(heldOut) else { throw CommandFailure("the held-out night is also a training night") }
        var rows: [[Double]] = [], labels: [TrainingLabel] = []
        for folder in trainFolders {
            let set = ScoringEvaluation.trainingRows(try TrainingNights.labelled(folder))
            rows += set.rows
            labels += set.labels
        }
        let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.model")).store
        var labelled = 0
        if withLabels {
            let extra = try OperatorLabels.rows(store: store)
            rows += extra.rows
            labels += extra.labels
            labelled = extra.rows.count
        }
        let model = try RealBogusModel.fit(rows, labels: labels)
        let test = ScoringEvaluation.evaluate(model, on: try TrainingNights.labelled(heldOut),
                                              threshold: score.confidenceThreshold, typing: score.typing,
                                              sameSourceRadius: score.sameSourceRadius)
        let saved = try ModelRegistry.saveRealBogus(
            model, name: name, parameters: ["method": "boosted_trees", "features": FeatureVector.measuredNames,
                                            "trees": model.real.parameters.trees, "depth": model.real.parameters.depth],
            metrics: ScoringReport.metrics(test),
            training: ["nights": trainFolders.map(\.path), "holdout": heldOut.path, "candidates": rows.count,
                       "operator_labels": labelled,
                       "classes": Dictionary(grouping: labels, by: \.rawValue).mapValues(\.count)],
            store: store, createdBy: "nocturne model fit", activate: !noActivate)
        print("stored \(name) v\(saved.version) (\(saved.id.uuidString.lowercased()))\(noActivate ? "" : ", active")")
        print("trained on \(rows.count) candidates (\(labelled) labelled by operators); held-out night \(heldOut.path):")
        print(ScoringReport.text(test))
    }
}

/// `nocturne model fit embedding`: the DInsight-style map on a baseline of
/// stored candidates, with the `embed:` parameters.
struct EmbeddingFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedding",
        abstract: "Fit the anomaly map (DInsight-style embedding + isolation forest) on stored candidates.")

    @Option(name: .customLong("run"), help: "Only this run's candidates.") var runFilter: String?
    @Option(help: "Only this night's candidates (YYYY-MM-DD, the evening's UTC date).") var night: String?
    @Option(help: "A file of candidate ids, one per line, instead of --run/--night.") var file: String?
    @Option(help: "At most this many candidates (default: embed.baseline_size).") var limit: Int?
    @Option(help: "Registry name.") var name = "dinsight"
    @Flag(name: .customLong("no-activate"), help: "Store the model without making it active.") var noActivate = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let settings = try options.document().section(EmbedSettings.self, at: "embed")
        let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.model")).store
        let baseline: [CandidateRecord]
        var source: [String: Any] = [:]
        if let file {
            let ids = try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let uuids = try ids.map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw CommandFailure("\(file): '\(text)' is not a candidate id") }
                return id
            }
            baseline = try store.candidates(ids: uuids)
            source = ["file": file]
        } else {
            let runID = try runFilter.map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw CommandFailure("'\(text)' is not a run id") }
                return id
            }
            baseline = try store.baselineCandidates(runID: runID, night: night, limit: limit ?? settings.baselineSize)
            source = ["run": runFilter ?? "any", "night": night ?? "any"]
        }
        guard baseline.count >= NeighbourEmbedding.minimumRows else {
            throw CommandFailure("only \(baseline.count) candidates match; a baseline needs at least \(NeighbourEmbedding.minimumRows)")
        }
        let saved = try ModelRegistry.fitEmbedding(baseline, settings: settings, name: name, source: source, store: store,
                                                   createdBy: "nocturne model fit", activate: !noActivate)
        let r = saved.report
        print("stored \(name) v\(saved.version) (\(saved.id.uuidString.lowercased()))\(noActivate ? "" : ", active")")
        print(String(format: "baseline %d candidates, map %d points, %d iterations (%@), loss %.4g, neighbour preservation %.3f",
                     r.baseline, r.mapPoints, r.embedding.iterations, r.embedding.converged ? "converged" : "imax reached",
                     r.embedding.finalLoss, r.embedding.neighbourPreservation))
        print(String(format: "thresholds at quantile %.3f: distance %.4g (median %.4g), forest %.4g (median %.4g)",
                     r.quantile, r.distanceThreshold, r.distanceMedian, r.forestThreshold, r.forestMedian))
    }
}

/// Operators' labels turned into training rows.
enum OperatorLabels {
    /// Labels and what they train: the detection types and `real` train
    /// real; `artifact` and `bogus` train themselves.
    static let meanings: [String: TrainingLabel] = [
        "real": .real, "transient": .real, "variable": .real, "supernova_like": .real, "moving": .real,
        "artifact": .artifact, "bogus": .bogus,
    ]

    static func rows(store: PipelineStore) throws -> (rows: [[Double]], labels: [TrainingLabel]) {
        let labels = try store.candidateLabels().filter { meanings[$0.label] != nil }
        let candidates = try store.candidates(ids: labels.map(\.candidateID))
        let byID = Dictionary(uniqueKeysWithValues: labels.map { ($0.candidateID, meanings[$0.label]!) })
        return (candidates.map { FeatureVector.measured(CandidateInput($0)) }, candidates.map { byID[$0.id]! })
    }
}
