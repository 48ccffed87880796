import Database
import Foundation
import Store

/// The replay's `nocturne run` child: this host's stage processes on the
/// replay run, watching the staging folder, ending once idle.
enum ReplayChild {
    static func start(pipeline: String, runID: UUID, staging: URL, home: URL, idleSeconds: Int, dryRunDelivery: Bool,
                      options: ConfigOptions) throws -> Process {
        var arguments = ["run", pipeline, "--run-id", runID.uuidString.lowercased(), "--watch", staging.path,
                         "--archive", home.appendingPathComponent("archive").path, "--until-idle",
                         "--idle-seconds", "\(idleSeconds)", "--log-dir", home.appendingPathComponent("logs").path,
                         "--set", "ingest.settle_seconds=0", "--set", "alert.in_date_order=true",
                         "--set", "ingest.quarantine=\(home.appendingPathComponent("quarantine").path)"]
        for file in options.config { arguments += ["--config", file] }
        for item in options.overrides { arguments += ["--set", item] }
        if dryRunDelivery {
            // No channels: alerts are computed and recorded, nothing is streamed or queued.
            let overlay = home.appendingPathComponent("dry-run-delivery.yaml")
            try "alert:\n  channels: []\n".write(to: overlay, atomically: true, encoding: .utf8)
            arguments += ["--config", overlay.path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = arguments
        // Deterministic FFT plans and hash seeds in every stage (docs/replay.md).
        var environment = ProcessInfo.processInfo.environment
        environment["NOCTURNE_FFT_RIGOR"] = "estimate"
        environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
        process.environment = environment
        let log = home.appendingPathComponent("run.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}

/// "replay [#####.....] 12/24 observations  ETA 0:40" on stderr, from the
/// run's progress rows; off a terminal, one line each time the count moves.
final class ReplayProgress {
    let store: PipelineStore
    let runID: UUID
    let total: Int
    let started = Date()
    private var last = -1
    private let interactive = isatty(STDERR_FILENO) == 1

    init(store: PipelineStore, runID: UUID, total: Int) {
        self.store = store
        self.runID = runID
        self.total = total
    }

    func show() {
        let counts = try? store.connection.query(
            """
            SELECT count(*) FILTER (WHERE status IN ('alerted', 'failed')) AS done, count(*) AS registered
            FROM observation_progress WHERE run_id = $1
            """, [runID]).first
        let done = (try? counts?.decode(Int.self, "done")).flatMap { $0 } ?? 0
        // Ingest may make the first exposure of a field its reference: count what it registered once it has.
        let registered = (try? counts?.decode(Int.self, "registered")).flatMap { $0 } ?? 0
        let total = registered > 0 ? max(registered, done) : self.total
        guard interactive || done != last else { return }
        last = done
        let elapsed = Date().timeIntervalSince(started)
        let eta = done > 0 ? elapsed / Double(done) * Double(max(total - done, 0)) : .nan
        let clock = eta.isFinite ? String(format: "%d:%02d", Int(eta) / 60, Int(eta) % 60) : "--:--"
        let width = 30, filled = total > 0 ? min(width, width * done / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "replay [\(bar)] \(done)/\(total) observations  ETA \(clock)"
        FileHandle.standardError.write(Data((interactive ? "\r" + line + "\u{1B}[K" : line + "\n").utf8))
    }
}
