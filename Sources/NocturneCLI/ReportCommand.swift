import ArgumentParser
import Foundation
import Report
import Scoring
import Stages
import Store

/// `nocturne report NIGHT [--run R]`: the night report, one HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a night's report: one HTML file for the morning after.",
        discussion: """
            Per field, the observations with their seeing, depth and astrometric rms and their counts of candidates, \
            detections and anomalies; the embedding map; the alerts with their stamps and lifecycle; the latency \
            distribution; and anything that failed, and why. Without --run, the newest run that processed the night; \
            without NIGHT, the run's latest night; with neither, the newest run's latest night.
            """)

    @Argument(help: "The night, YYYY-MM-DD: the evening's UTC date (DATE-OBS − 12 h); default: the run's latest night.")
    var night: String?

    @Option(name: .customLong("run"), help: "The run to report on (default: the newest run that processed the night).")
    var runID: String?

    @Option(help: "The HTML file to write (default: .nocturne/reports/night-NIGHT-RUN.html).")
    var out: String?

    func validate() throws {
        guard let night else { return }
        let parts = night.split(separator: "-")
        guard parts.count == 3, parts.allSatisfy({ Int($0) != nil }), parts[0].count == 4 else {
            throw ValidationError("NIGHT must be YYYY-MM-DD, got '\(night)'")
        }
    }

    func run() throws {
        let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.report")).store
        let (chosen, night) = try Self.choose(runID: runID, night: self.night, store: store)
        let runs = try store.runs(night: night)
        let observations = try store.reportObservations(runID: chosen.id, night: night)
        if observations.isEmpty && runID != nil {
            throw CommandFailure("run \(chosen.id.uuidString.lowercased()) processed no observation of the night of \(night)")
        }
        let (svg, caption) = try Self.embedding(store: store, runID: chosen.id)
        let input = NightReportInput(
            night: night, run: chosen, runsOfNight: runs, observations: observations,
            alerts: try store.reportAlerts(runID: chosen.id, night: night), failures: try store.failedItems(runID: chosen.id),
            quarantined: try store.quarantinedFiles(runID: chosen.id), embeddingSVG: svg, embeddingCaption: caption)
        let path = out ?? ".nocturne/reports/night-\(night)-\(chosen.id.uuidString.lowercased().prefix(8)).html"
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try NightReport.html(input).write(toFile: path, atomically: true, encoding: .utf8)
        print("night \(night), run \(chosen.id.uuidString.lowercased()) (\(chosen.kind.rawValue)): \(observations.count) observations, "
              + "\(input.alerts.count) alerts, \(input.failures.count) failed items")
        print("report: \(path)")
    }

    /// The run and night to report: as given, the newest run of a given
    /// night, or the given (else newest) run's latest night.
    static func choose(runID: String?, night: String?, store: PipelineStore) throws -> (RunRecord, String) {
        if let runID {
            guard let id = UUID(uuidString: runID) else { throw CommandFailure("--run: '\(runID)' is not a run id") }
            guard let record = try store.run(id) else { throw CommandFailure("no run \(runID)") }
            if let night { return (record, night) }
            guard let latest = try store.nights(runID: id).first else { throw CommandFailure("run \(runID) processed no observation") }
            return (record, latest)
        }
        if let night {
            guard let newest = try store.runs(night: night).first else {
                throw CommandFailure("no run processed observations of the night of \(night)")
            }
            return (newest, night)
        }
        guard let newest = try store.newestRunWithObservations(), let latest = try store.nights(runID: newest.id).first else {
            throw CommandFailure("no run has processed any observation yet")
        }
        return (newest, latest)
    }

    /// The map the run's candidates were placed by, drawn with them.
    static func embedding(store: PipelineStore, runID: UUID) throws -> (String?, String) {
        guard let modelID = try store.mainEmbeddingModel(runID: runID), let record = try store.model(id: modelID) else {
            return (nil, "No candidate of this run was embedded.")
        }
        let map = try ActiveModelCache<AnomalyModel>.decode(record).model
        let points = try store.embeddedPoints(modelID: modelID, runID: runID)
        let plot = ModelCommand.Plot.plot(map, points: points, title: "\(record.name) v\(record.version)")
        let anomalies = points.filter { $0.severity != nil }.count
        return (plot.svg(), "\(record.name) v\(record.version): \(map.baselineCoords.count) baseline points (grey), "
                + "\(points.count) candidates of this run (blue), \(anomalies) anomalies coloured by severity.")
    }
}
