import ArgumentParser
import Envelopes
import Foundation
import Picture
import Scoring
import Stages
import Store

/// `nocturne model`: the registry of fitted maps and classifiers.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Fit, list, activate and plot the models the embed and score stages load.",
        subcommands: [Fit.self, List.self, Activate.self, Plot.self])

    /// `nocturne model fit`.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a model and store it in the registry (active unless --no-activate).",
            subcommands: [RealBogusFit.self, EmbeddingFit.self])
    }

    /// `nocturne model list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registry, newest first.")

        @Option(help: "Only this kind: embedding or real_bogus.")
        var kind: String?

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.model")).store
            var table = TextTable(["ACTIVE", "KIND", "NAME", "VERSION", "CREATED", "ID", "METRICS"])
            for m in try store.models(kind: kind) {
                table.add([m.active ? "*" : "", m.kind, m.name, "\(m.version)",
                           ISO8601DateFormatter().string(from: m.createdAt), m.id.uuidString.lowercased(),
                           Self.headline(m.metrics)])
            }
            print(table.render())
        }

        /// The figures worth a glance, from a model's metrics JSON.
        static func headline(_ metrics: String) -> String {
            let object = ExactJSON.dictionary(from: metrics) ?? [:]
            let keys = ["precision", "recall", "f1", "false_detections_per_image", "distance_threshold", "forest_threshold"]
            return keys.compactMap { key in (object[key] as? Double).map { "\(key)=\(String(format: "%.3g", $0))" } }
                .joined(separator: " ")
        }
    }

    /// `nocturne model activate ID`.
    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a stored model the active one of its kind; running stages pick it up at their next item.")

        @Argument(help: "The model's id (see nocturne model list).")
        var id: String

        @Option(help: "Who does it, for audit_log.")
        var actor = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() throws {
            guard let uuid = UUID(uuidString: id) else { throw CommandFailure("'\(id)' is not a model id") }
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.model")).store
            let kind = try store.activateModel(id: uuid, actor: actor)
            print("model \(id) is now the active \(kind) model")
        }
    }

    /// `nocturne model plot`.
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw an embedding as SVG: its baseline, a run's candidates, and their anomalies by severity.")

        @Option(help: "The embedding model's id; the active one by default.")
        var model: String?

        @Option(name: .customLong("run"), help: "Only this run's candidates (default: every run's).")
        var runFilter: String?

        @Option(help: "The SVG file to write.")
        var out = "embedding.svg"

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.model")).store
            let record: ModelRecord?
            if let model {
                guard let id = UUID(uuidString: model) else { throw CommandFailure("'\(model)' is not a model id") }
                record = try store.model(id: id)
            } else {
                record = try store.activeModel(kind: ModelRegistry.embeddingKind)
            }
            guard let record, record.kind == ModelRegistry.embeddingKind else {
                throw CommandFailure("no embedding model \(model ?? "is active"); fit one with nocturne model fit embedding")
            }
            let map = try ActiveModelCache<AnomalyModel>.decode(record).model
            let runID = try runFilter.map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw CommandFailure("'\(text)' is not a run id") }
                return id
            }
            let points = try store.embeddedPoints(modelID: record.id, runID: runID)
            let svg = Self.plot(map, points: points, title: "\(record.name) v\(record.version)").svg()
            try svg.write(toFile: out, atomically: true, encoding: .utf8)
            print("wrote \(out): \(map.baselineCoords.count) baseline points, \(points.count) candidates, "
                  + "\(points.filter { $0.severity != nil }.count) anomalies")
        }

        static func plot(_ map: AnomalyModel, points: [(candidate: UUID, coords: [Double], severity: String?)],
                         title: String) -> ScatterPlot {
            func xy(_ c: [Double]) -> (x: Double, y: Double) { (c.first ?? 0, c.count > 1 ? c[1] : 0) }
            var layers = [
                ScatterPlot.Layer(label: "baseline", color: "#9a9a9a", radius: 2, opacity: 0.5,
                                  points: map.baselineCoords.map(xy)),
                ScatterPlot.Layer(label: "candidates", color: "#1f6fd1", radius: 2.5, opacity: 0.6,
                                  points: points.filter { $0.severity == nil }.map { xy($0.coords) }),
            ]
            let colours = ["low": "#f2c12e", "medium": "#f28e2b", "high": "#e1402c", "critical": "#8b0a50"]
            for severity in Severity.allCases {
                layers.append(ScatterPlot.Layer(
                    label: "anomaly: \(severity.rawValue)", color: colours[severity.rawValue]!, radius: 5, opacity: 0.9,
                    points: points.filter { $0.severity == severity.rawValue }.map { xy($0.coords) }))
            }
            return ScatterPlot(title: "Embedding \(title)", xLabel: "dimension 1", yLabel: "dimension 2", layers: layers)
        }
    }
}
