import Database
import FITS
import Foundation
import Pixels
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
        #expect(try q.count("SELECT count(*) AS n FROM model_runs WHERE run_id = $1 AND stage = 'score'") >= science.count)
        #expect(try q.count("SELECT count(*) AS n FROM model_runs WHERE run_id = $1 AND stage = 'embed'") > 0)
        // The embedding map was bootstrapped on this run's first observations, and every
        // anomaly says why: thresholds, top features, analogs, model versions.
        #expect(try q.count("SELECT count(*) AS n FROM models WHERE $1::uuid IS NOT NULL AND name = 'dinsight-bootstrap' AND active") == 1)
        #expect(try q.count("""
            SELECT count(*) AS n FROM anomalies WHERE run_id = $1 AND (threshold <= 0 OR feature_threshold IS NULL
                OR jsonb_array_length(top_features) = 0 OR cardinality(analogs) = 0 OR NOT model_versions ? 'embedding'
                OR ratio < 1)
            """) == 0)
        try Self.modelCommands(chain)
        // The default rules were applied; every high or critical anomaly joined exactly one alert
        // (one per rule and position: an alert's count says how many), each written to the
        // night log's queue or streamed.
        #expect(try q.count("SELECT count(*) AS n FROM alert_rules WHERE $1::uuid IS NOT NULL AND active AND definition IS NOT NULL") >= 2)
        #expect(try q.count("SELECT coalesce(sum(count), 0) AS n FROM alerts WHERE run_id = $1 AND kind = 'candidate'")
            == q.count("SELECT count(*) AS n FROM anomalies WHERE run_id = $1 AND severity IN ('high', 'critical')"))
        #expect(try q.count("""
            SELECT count(*) AS n FROM alerts a WHERE a.run_id = $1 AND a.kind = 'candidate' AND a.suppression IS NULL
              AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.channel = 'zeromq')
            """) == 0)

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

    /// The operator's model commands against the night's database.
    static func modelCommands(_ chain: ChainProcesses) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["NOCTURNE_DATABASE_URL": chain.database.url]
        func nocturne(_ arguments: [String]) throws -> CommandRunner.Output {
            try CommandRunner.run("nocturne", arguments, workingDirectory: folder, environment: env)
        }
        let run = chain.runID.uuidString.lowercased()
        let fit = try nocturne(["model", "fit", "embedding", "--run", run, "--set", "embed.imax=300"])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("stored dinsight v1") && fit.stdout.contains("thresholds at quantile 0.995"))
        let refused = try nocturne(["model", "fit", "embedding", "--run", run, "--set", "embed.eta=0.3"])
        #expect(refused.status != 0 && refused.stderr.contains("eta"), "\(refused.stderr)")
        let list = try nocturne(["model", "list"])
        #expect(list.stdout.contains("dinsight-bootstrap") && list.stdout.contains("rb-heuristic"), "\(list.stdout)")
        let candidate = try chain.database.connection.query(
            "SELECT id::text AS id FROM candidates WHERE run_id = $1 ORDER BY candidate_index LIMIT 1", [chain.runID])[0]
            .decode(String.self, "id")
        let label = try nocturne(["label", candidate, "artifact", "--actor", "tester", "--note", "a cosmic ray"])
        #expect(label.status == 0, "\(label.stderr)")
        #expect(try chain.count("SELECT count(*) AS n FROM validation_events WHERE $1::uuid IS NOT NULL AND label = 'artifact' AND actor = 'tester'") == 1)
        #expect(try nocturne(["label", candidate, "maybe"]).status != 0)
        let plot = try nocturne(["model", "plot", "--run", run, "--out", "map.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOf: folder.appendingPathComponent("map.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("baseline") && svg.contains("<circle"))
    }

    @Test("stages killed with SIGKILL mid-night and restarted, one instance each, give the same tables as two instances uninterrupted")
    func crashSafety() throws {
        let (references, science) = try Self.night()
        let database = try TestDatabase.make()
        // Run A: two preprocess and two difference instances, left alone.
        let a = try ChainProcesses(database: database, label: "steady")
        defer { a.stopAll() }
        for stage in ChainProcesses.stages.reversed() {
            let instances = ["preprocess", "difference"].contains(stage) ? 2 : 1
            let downstream = stage == "preprocess" ? 2 : 1  // difference has two instances
            for n in 1...instances { try a.start(stage, instance: n, downstream: downstream) }
        }
        try a.startIngest(files: references + science, preprocessInstances: 2)
        #expect(try a.waitUntilSettled(expected: science.count, seconds: 600))
        a.stopAll()

        // Run B: one of each, and a random stage killed and restarted three times.
        let b = try ChainProcesses(database: database, label: "killed")
        defer { b.stopAll() }
        for stage in ChainProcesses.stages.reversed() { try b.start(stage) }
        try b.startIngest(files: references + science)
        var kills: [String] = []
        for _ in 0..<3 {
            let deadline = Date().addingTimeInterval(120)
            let before = try b.count("SELECT count(*) AS n FROM observation_progress WHERE run_id = $1 AND status <> 'ingested'")
            while try b.count("SELECT count(*) AS n FROM observation_progress WHERE run_id = $1 AND status <> 'ingested'") == before,
                  Date() < deadline { usleep(20_000) }
            let victim = ["preprocess", "difference", "extract", "embed", "score"].randomElement()!
            b.stop("\(victim)-1", signal: SIGKILL)
            kills.append(victim)
            try b.start(victim)
        }
        let settled = try b.waitUntilSettled(expected: science.count, seconds: 600)
        let statuses = try b.statuses()
        #expect(settled, "killed \(kills): \(statuses)")
        #expect(statuses == ["alerted": science.count], "killed \(kills)")

        for (table, columns) in Self.compared {
            let rowsA = try Self.rows(table, columns, run: a.runID, database: database)
            let rowsB = try Self.rows(table, columns, run: b.runID, database: database)
            #expect(rowsA == rowsB, "\(table) differs after killing \(kills): \(rowsA.count) vs \(rowsB.count) rows")
            // A small night may raise no alert; every other table has rows.
            #expect(table == "alerts" || !rowsA.isEmpty, "\(table) is empty")
        }
    }

    /// Columns compared between runs, rounded where a different FFTW plan
    /// may change the last bits.
    static let compared: [(String, String)] = [
        ("preprocess_runs", "observation_id::text, round(astrometric_rms_px::numeric, 4), n_matched"),
        ("difference_runs", "observation_id::text, round(flux_ratio::numeric, 5), n_candidates"),
        ("candidates", "observation_id::text, candidate_index, round(x::numeric, 3), round(y::numeric, 3), round(snr::numeric, 2), is_positive"),
        ("detections", "d.observation_id::text, c.candidate_index, d.detection_type, round(d.confidence::numeric, 3)"),
        ("alerts", "a.observation_id::text, c.candidate_index, a.severity"),
    ]

    static func rows(_ table: String, _ columns: String, run: UUID, database: TestDatabase) throws -> [String] {
        let from: String
        switch table {
        case "detections": from = "detections d JOIN candidates c ON c.id = d.candidate_id WHERE d.run_id = $1"
        case "alerts": from = "alerts a JOIN candidates c ON c.id = a.candidate_id WHERE a.run_id = $1"
        default: from = "\(table) WHERE run_id = $1"
        }
        return try database.connection.query("SELECT concat_ws('|', \(columns)) AS r FROM \(from) ORDER BY 1", [run])
            .map { try $0.decode(String.self, "r") }
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
        try chain.startIngest(watch: watch, extra: ["--set", "ingest.settle_seconds=0"])
        // Mid-night: a non-FITS file, a truncated one, and one without a WCS.
        Thread.sleep(forTimeInterval: 1)
        try Data("this is a text file, not FITS\n".utf8).write(to: watch.appendingPathComponent("notfits.fits"))
        let whole = try Data(contentsOf: references[0])
        try whole.prefix(whole.count / 3).write(to: watch.appendingPathComponent("truncated.fits"))
        try FITSFile.write(Image<Float>(width: 64, height: 64, repeating: 100),
                           to: watch.appendingPathComponent("nowcs.fits").path,
                           header: [FITSKeyValue("DATE-OBS", .string("2026-11-22T01:02:03")), FITSKeyValue("EXPTIME", .double(30))])
        let deadline = Date().addingTimeInterval(60)
        while try chain.count("SELECT count(*) AS n FROM ingest_files WHERE run_id = $1") < 4, Date() < deadline { usleep(200_000) }
        Thread.sleep(forTimeInterval: 1)
        #expect(chain.stop("ingest") == 0, "\(chain.log("ingest"))")

        let quarantine = watch.appendingPathComponent("quarantine")
        for name in ["notfits.fits", "truncated.fits", "nowcs.fits"] {
            let reason = try String(contentsOf: quarantine.appendingPathComponent("\(name).reason"), encoding: .utf8)
            #expect(reason.contains(name), "\(name): \(reason)")
            #expect(!FileManager.default.fileExists(atPath: watch.appendingPathComponent(name).path))
        }
        let wcsReason = try String(contentsOf: quarantine.appendingPathComponent("nowcs.fits.reason"), encoding: .utf8)
        #expect(wcsReason.lowercased().contains("wcs"), "\(wcsReason)")
        #expect(try chain.count("SELECT count(*) AS n FROM ingest_files WHERE run_id = $1 AND status = 'quarantined' AND reason IS NOT NULL") == 3)
        #expect(try chain.count("SELECT count(*) AS n FROM observations WHERE $1::uuid IS NOT NULL") == 1)
    }

    static func tableCounts(_ chain: ChainProcesses) throws -> [Int] {
        try ["observations", "observation_progress", "preprocess_runs", "difference_runs", "candidates", "embeddings",
             "detections", "anomalies", "alerts"].map { table in
            try chain.database.connection.query("SELECT count(*) AS n FROM \(table)")[0].decode(Int.self, "n")
        }
    }
}
