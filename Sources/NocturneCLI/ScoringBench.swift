import ArgumentParser
import Foundation
import Learning
import Scoring
import Stages
import Training

/// `nocturne bench scoring`: the real/bogus classifier, the detection
/// types and the anomaly model on a held-out simulated night (a seed not
/// trained on), their determinism, and their speed per candidate.
struct ScoringBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring",
        abstract: "Real/bogus, types and anomalies on a held-out simulated night; determinism; candidates per second.")

    @Option var seed: UInt64 = 11
    @Option(name: .customLong("holdout-seed")) var holdoutSeed: UInt64 = 12
    @Option(name: .customLong("baseline-seed"), help: "A second night whose candidates join the anomaly baseline.")
    var baselineSeed: UInt64 = 13
    @Option(help: "Side of simulated images, pixels.") var size = 2048
    @Option var fields = 3
    @Option var epochs = 8
    @Flag(help: "List the held-out candidates scored high or above, with their kind and reasons.")
    var details = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let document = try options.document()
        let score = try document.section(ScoreSettings.self, at: "score")
        let embed = try document.section(EmbedSettings.self, at: "embed")
        let train = try TrainingNights.labelled(try TrainingNights.folder(seed: seed, size: size, fields: fields, epochs: epochs))
        let test = try TrainingNights.labelled(
            try TrainingNights.folder(seed: holdoutSeed, size: size, fields: fields, epochs: epochs))
        let (rows, labels) = ScoringEvaluation.trainingRows(train)
        var clock = Date()
        let model = try RealBogusModel.fit(rows, labels: labels)
        let rbSeconds = Date().timeIntervalSince(clock)
        let evaluation = ScoringEvaluation.evaluate(model, on: test, threshold: score.confidenceThreshold,
                                                    typing: score.typing, sameSourceRadius: score.sameSourceRadius)
        print("trained on seed \(seed) (\(rows.count) candidates, \(train.images) images) in \(String(format: "%.1f", rbSeconds)) s; "
              + "held out seed \(holdoutSeed) (\(test.candidates.count) candidates, \(test.images) images)")
        print(ScoringReport.text(evaluation))

        let extra = try TrainingNights.labelled(
            try TrainingNights.folder(seed: baselineSeed, size: size, fields: fields, epochs: epochs))
        clock = Date()
        let vectors = (train.candidates + extra.candidates).map { FeatureVector.values($0.input) }
        let ids = vectors.indices.map { StableUUID.make(seed: seed, index: $0) }
        let (map, report) = try AnomalyModel.fit(vectors: vectors, ids: ids, parameters: embed.dinsight,
                                                 quantile: embed.thresholdQuantile, k: embed.analogs)
        print(String(format: "\nanomaly map fitted in %.1f s on %d candidates of seeds \(seed) and \(baselineSeed) (%d map points, %d iterations, neighbour preservation %.3f)",
                     Date().timeIntervalSince(clock), report.baseline, report.mapPoints, report.embedding.iterations,
                     report.embedding.neighbourPreservation))
        let ordinary = test.candidates.map(\.input)
        let seeds = Array(test.candidates.filter { $0.label == .real }.map(\.input).prefix(300))
        let check = AnomalyInjection.check(map, ordinary: ordinary, seeds: seeds)
        var table = TextTable(["POPULATION", "HIGH OR ABOVE", "COUNT", "TARGET"])
        for kind in AnomalyInjection.Kind.allCases {
            let x = check.injected[kind]!
            table.add(["injected \(kind.rawValue)", String(format: "%.3f", x.value), "\(x.found)/\(x.total)", ">= 0.9"])
        }
        table.add(["held-out ordinary candidates", String(format: "%.4f", check.ordinary.value),
                   "\(check.ordinary.found)/\(check.ordinary.total)", "< 0.01"])
        print(table.render())
        if details {
            for c in test.candidates {
                let a = map.assess(FeatureVector.values(c.input))
                guard (a.severity ?? .low) >= .high else { continue }
                print(String(format: "  %@ %@ %@ ratios d=%.2f f=%.2f r=%.2f top %@", c.image, c.kind, c.label?.rawValue ?? "-",
                             a.distanceRatio, a.forestRatio, a.rangeRatio,
                             a.topFeatures.map { "\($0.name)=\(String(format: "%.2f", $0.value))" }.joined(separator: ",")))
            }
        }
        print("ordinary candidates at high or above, by their largest score: "
              + check.ordinaryBy.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        print("\ndeterminism: " + (try Self.determinism(rows: rows, labels: labels, model: model, map: map, test: test)))
        print(Self.speed(model: model, map: map, test: test, score: score))
    }

    /// Refits and rescoring give the same bits.
    static func determinism(rows: [[Double]], labels: [TrainingLabel], model: RealBogusModel, map: AnomalyModel,
                            test: LabelledNight) throws -> String {
        let again = try RealBogusModel.fit(rows, labels: labels)
        let sameModel = try ModelCoding.encode(again) == ModelCoding.encode(model)
        var sameScores = true
        for c in test.candidates.prefix(500) {
            let v = FeatureVector.values(c.input)
            let (a, b) = (map.assess(v), map.assess(v))
            let (p, q) = (model.assess(Array(v[0..<FeatureVector.measuredNames.count])),
                          again.assess(Array(v[0..<FeatureVector.measuredNames.count])))
            if a.coords.map(\.bitPattern) != b.coords.map(\.bitPattern) || a.ratio.bitPattern != b.ratio.bitPattern
                || p.confidence.bitPattern != q.confidence.bitPattern { sameScores = false }
        }
        return "classifier refit \(sameModel ? "identical" : "DIFFERENT"), "
            + "embedding and scores of 500 candidates \(sameScores ? "identical bit for bit" : "DIFFERENT")"
    }

    /// Candidates per second through features, real/bogus, type, projection and anomaly scores.
    static func speed(model: RealBogusModel, map: AnomalyModel, test: LabelledNight, score: ScoreSettings) -> String {
        let inputs = test.candidates.map(\.input)
        guard !inputs.isEmpty else { return "speed: no candidates" }
        let rounds = max(1, 20_000 / inputs.count)
        var checksum = 0.0
        let start = Date()
        for _ in 0..<rounds {
            for c in inputs {
                let v = FeatureVector.values(c)
                let (confidence, artifact) = model.assess(Array(v[0..<FeatureVector.measuredNames.count]))
                let type = score.typing.type(c, confidence: confidence, artifact: artifact,
                                             threshold: score.confidenceThreshold, seenElsewhere: true)
                checksum += map.assess(v).ratio + (type == .artifact ? 1 : 0)
            }
        }
        let seconds = Date().timeIntervalSince(start), n = rounds * inputs.count
        return String(format: "speed: %d candidates in %.2f s = %.0f candidates/s (features, real/bogus, type, embedding, anomaly scores; one thread; checksum %.3g)",
                      n, seconds, Double(n) / seconds, checksum)
    }
}

/// Deterministic ids for candidates that live only in memory.
enum StableUUID {
    static func make(seed: UInt64, index: Int) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: seed.bigEndian) { for i in 0..<8 { bytes[i] = $0[i] } }
        withUnsafeBytes(of: UInt64(index).bigEndian) { for i in 0..<8 { bytes[8 + i] = $0[i] } }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
