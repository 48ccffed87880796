import Database
import Foundation
import Testing
import TestSupport

/// The running system end to end: real stage executables, ZeroMQ between
/// them, a real PostgreSQL, a small simulated night.
@Suite("Chain", .serialized)
struct ChainTests {
    /// One field, a deep reference and three epochs.
    static func night() throws -> (reference: [URL], science: [URL]) {
        let folder = try SimulatedNight.folder(size: 384, fields: 1, epochs: 3, seed: 21, label: "chain")
        func fits(_ sub: String) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent(sub), includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "fits" }.sorted { $0.path < $1.path }
        }
        return (try fits("reference"), try fits("science"))
    }

    @Test("a night flows from files to alerts, every table written, every status visible")
    func nightToAlerts() throws {
        let (references, science) = try Self.night()
        let chain = try ChainProcesses(database: try TestDatabase.make(), label: "flow")
        defer { chain.stopAll() }
        for stage in ChainProcesses.stages.reversed() {
            if stage == "preprocess" {
                try chain.start(stage, instance: 1)
                try chain.start(stage, instance: 2)
            } else {
                try chain.start(stage)
            }
        }
        try chain.startIngest(files: references + science, preprocessInstances: 2)
        #expect(chain.wait("ingest", seconds: 120) == 0, "ingest:\n\(chain.log("ingest"))")
        let settled = try chain.waitUntilSettled(expected: science.count, seconds: 600)
        let statuses = try chain.statuses()
        #expect(settled, "statuses \(statuses)\n\(chain.log("preprocess-1"))")
        #expect(try chain.statuses() == ["alerted": science.count])

        let q = chain
        #expect(try q.count("SELECT count(*) AS n FROM observations o JOIN observation_progress p ON p.observation_id = o.id WHERE p.run_id = $1 AND o.status = 'alerted'") == science.count)
        #expect(try q.count("SELECT count(*) AS n FROM preprocess_runs WHERE run_id = $1 AND aligned_path IS NOT NULL") == science.count)
        #expect(try q.count("SELECT count(*) AS n FROM difference_runs WHERE run_id = $1 AND scorr_path IS NOT NULL") == science.count)
        let paths = try chain.database.connection.query(
            "SELECT aligned_path AS p FROM preprocess_runs WHERE run_id = $1 UNION ALL SELECT difference_path FROM difference_runs WHERE run_id = $1 UNION ALL SELECT scorr_path FROM difference_runs WHERE run_id = $1",
            [chain.runID]).map { try $0.decode(String.self, "p") }
        #expect(paths.count == 3 * science.count && paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let candidates = try q.count("SELECT count(*) AS n FROM candidates WHERE run_id = $1")
        #expect(candidates > 0)
        #expect(try q.count("SELECT count(*) AS n FROM embeddings WHERE run_id = $1") == candidates)
        let detections = try q.count("SELECT count(*) AS n FROM detections WHERE run_id = $1")
        #expect(detections > 0 && detections <= candidates)
        #expect(try q.count("SELECT count(*) AS n FROM model_runs WHERE run_id = $1") == 2 * science.count)
        // Every high or critical anomaly raised exactly one alert.
        #expect(try q.count("SELECT count(*) AS n FROM alerts WHERE run_id = $1")
            == q.count("SELECT count(*) AS n FROM anomalies WHERE run_id = $1 AND severity IN ('high', 'critical')"))

        // The same files again: nothing new anywhere.
        let before = try Self.tableCounts(chain)
        try chain.startIngest(files: references + science, preprocessInstances: 2)
        #expect(chain.wait("ingest", seconds: 120) == 0)
        Thread.sleep(forTimeInterval: 3)
        #expect(try Self.tableCounts(chain) == before)
        #expect(try q.count("SELECT count(*) AS n FROM observations WHERE $1::uuid IS NOT NULL") == references.count + science.count)

        // SIGTERM: every stage finishes and exits cleanly.
        for stage in ["preprocess-1", "preprocess-2", "difference-1", "extract-1", "embed-1", "score-1", "alert-1"] {
            #expect(chain.stop(stage) == 0, "\(stage):\n\(chain.log(stage).suffix(2000))")
        }
    }

    @Test("a stage killed with SIGKILL mid-night is restarted and nothing is lost or doubled")
    func crashSafety() throws {
        let (references, science) = try Self.night()
        let chain = try ChainProcesses(database: try TestDatabase.make(), label: "crash")
        defer { chain.stopAll() }
        for stage in ChainProcesses.stages.reversed() { try chain.start(stage) }
        try chain.startIngest(files: references + science)
        // Kill the difference stage as soon as it has done anything at all.
        let deadline = Date().addingTimeInterval(300)
        while try chain.count("SELECT count(*) AS n FROM observation_progress WHERE run_id = $1 AND status <> 'ingested' AND status <> 'preprocessed'") == 0,
              Date() < deadline { usleep(50_000) }
        chain.stop("difference-1", signal: SIGKILL)
        try chain.start("difference")
        let settled = try chain.waitUntilSettled(expected: science.count, seconds: 600)
        let statuses = try chain.statuses()
        #expect(settled, "\(statuses)")
        #expect(try chain.statuses() == ["alerted": science.count])
        #expect(try chain.count("SELECT count(*) AS n FROM difference_runs WHERE run_id = $1") == science.count)
        #expect(try chain.count("SELECT count(*) AS n FROM (SELECT DISTINCT observation_id, candidate_index FROM candidates WHERE run_id = $1) c")
            == chain.count("SELECT count(*) AS n FROM candidates WHERE run_id = $1"))
    }

    @Test("a watched folder: bad files are quarantined with a reason and a row; a duplicate gives one observation")
    func watchedFolder() throws {
        let (references, _) = try Self.night()
        let chain = try ChainProcesses(database: try TestDatabase.make(), label: "watch")
        defer { chain.stopAll() }
        let watch = chain.folder.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: watch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: references[0], to: watch.appendingPathComponent("good.fits"))
        try FileManager.default.copyItem(at: references[0], to: watch.appendingPathComponent("copy.fits"))
        try Data("SIMPLE  =                    T this is not FITS".utf8).write(to: watch.appendingPathComponent("corrupt.fits"))
        try chain.startIngest(watch: watch, extra: ["--set", "ingest.settle_seconds=0"])
        let deadline = Date().addingTimeInterval(60)
        while try chain.count("SELECT count(*) AS n FROM ingest_files WHERE run_id = $1") < 2, Date() < deadline { usleep(200_000) }
        Thread.sleep(forTimeInterval: 1)
        #expect(chain.stop("ingest") == 0, "\(chain.log("ingest"))")

        let quarantine = watch.appendingPathComponent("quarantine")
        let reason = try String(contentsOf: quarantine.appendingPathComponent("corrupt.fits.reason"), encoding: .utf8)
        #expect(reason.contains("corrupt.fits"))
        #expect(!FileManager.default.fileExists(atPath: watch.appendingPathComponent("corrupt.fits").path))
        #expect(try chain.count("SELECT count(*) AS n FROM ingest_files WHERE run_id = $1 AND status = 'quarantined' AND reason IS NOT NULL") == 1)
        #expect(try chain.count("SELECT count(*) AS n FROM observations WHERE $1::uuid IS NOT NULL") == 1)
    }

    static func tableCounts(_ chain: ChainProcesses) throws -> [Int] {
        try ["observations", "observation_progress", "preprocess_runs", "difference_runs", "candidates", "embeddings",
             "detections", "anomalies", "alerts"].map { table in
            try chain.database.connection.query("SELECT count(*) AS n FROM \(table)")[0].decode(Int.self, "n")
        }
    }
}
