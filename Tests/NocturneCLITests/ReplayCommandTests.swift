import Database
import Foundation
import Testing
import TestSupport

/// `nocturne replay`, as an operator runs it: a simulated night replayed
/// twice through the real chain gives the same tables, bit for bit in every
/// measured value, and touches no other run.
@Suite("Replay", .serialized)
struct ReplayCommandTests {
    /// Every measured value of a run's products, by natural key (ids and
    /// timestamps differ between runs by design). PostgreSQL prints float8
    /// exactly (shortest round-trip), so equal text is equal bits.
    static let tables: [(String, String)] = [
        ("candidates", """
            SELECT concat_ws('|', o.observation_key, c.candidate_index, c.x, c.y, c.ra, c.dec, c.flux, c.flux_err, c.snr,
                             c.mag, c.fwhm, c.elong, c.scorr, c.flags, c.nneg, c.nbad, c.sumrat, c.magdiff, c.dipole,
                             c.distnr, c.magnr, md5(c.stamp_difference)) AS r
            FROM candidates c JOIN observations o ON o.id = c.observation_id WHERE c.run_id = $1
            """),
        ("detections", """
            SELECT concat_ws('|', o.observation_key, c.candidate_index, d.detection_type, d.confidence, d.artifact_probability) AS r
            FROM detections d JOIN candidates c ON c.id = d.candidate_id JOIN observations o ON o.id = d.observation_id
            WHERE d.run_id = $1
            """),
        ("embeddings", """
            SELECT concat_ws('|', o.observation_key, c.candidate_index, e.coords::text) AS r
            FROM embeddings e JOIN candidates c ON c.id = e.candidate_id JOIN observations o ON o.id = c.observation_id
            WHERE e.run_id = $1
            """),
        ("anomalies", """
            SELECT concat_ws('|', o.observation_key, c.candidate_index, a.severity, a.score, a.embedding_distance,
                             a.feature_score, a.top_features::text) AS r
            FROM anomalies a JOIN candidates c ON c.id = a.candidate_id JOIN observations o ON o.id = a.observation_id
            WHERE a.run_id = $1
            """),
        ("alerts", """
            SELECT concat_ws('|', r.name, a.dedup_key, a.group_key, a.severity, a.count, a.suppression) AS r
            FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.run_id = $1
            """),
    ]

    static func rows(_ sql: String, run: String, db: TestDatabase) throws -> [String] {
        try db.connection.query(sql + " ORDER BY 1", [UUID(uuidString: run)!]).map { try $0.decode(String.self, "r") }
    }

    @Test("a simulated night replayed twice gives identical candidates, detections, embeddings, anomalies and alerts")
    func deterministic() throws {
        let night = try SimulatedNight.folder(size: 384, fields: 1, epochs: 4, seed: 21, label: "replay")
        let db = try TestDatabase.make()
        let folder = try SharedData.temporaryDirectory("nocturne-replay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = SharedData.packageRoot.appendingPathComponent("pipelines/replay.yaml").path
        var runs: [String] = []
        for _ in 0..<2 {
            let out = try CommandRunner.run(
                "nocturne", ["replay", night.path, "--pipeline", pipeline, "--dry-run-delivery", "--idle-seconds", "3"],
                workingDirectory: folder, environment: ["NOCTURNE_DATABASE_URL": db.url])
            #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
            guard let line = out.stdout.split(separator: "\n").first(where: { $0.hasPrefix("replay run ") }) else {
                Issue.record("no run id in \(out.stdout)")
                return
            }
            runs.append(String(line.dropFirst("replay run ".count).prefix(36)))
            #expect(out.stderr.contains("observations"), "a progress line")
        }
        let kinds = try db.connection.query("SELECT count(*) AS n FROM runs WHERE kind = 'replay' AND config <> '{}'::jsonb")
        #expect(try kinds[0].decode(Int.self, "n") == 2)
        for (table, sql) in Self.tables {
            let a = try Self.rows(sql, run: runs[0], db: db), b = try Self.rows(sql, run: runs[1], db: db)
            #expect(!a.isEmpty || table == "alerts", "\(table) is empty")
            #expect(a == b, "\(table) differs: \(a.count) vs \(b.count) rows; first difference \(zip(a, b).first { $0 != $1 }.map { "\($0.0) ≠ \($0.1)" } ?? "in length")")
        }
        // Dry run: alerts recorded, nothing streamed or queued.
        let deliveries = try db.connection.query("SELECT count(*) AS n FROM alert_deliveries")
        #expect(try deliveries[0].decode(Int.self, "n") == 0)

        // The same night with a lower detection threshold: the diff shows exactly the added candidates.
        let lower = try CommandRunner.run(
            "nocturne", ["replay", night.path, "--pipeline", pipeline, "--dry-run-delivery", "--idle-seconds", "3",
                         "--set", "extraction.threshold=4"],
            workingDirectory: folder, environment: ["NOCTURNE_DATABASE_URL": db.url])
        #expect(lower.status == 0, "\(lower.stderr)")
        let third = String(lower.stdout.split(separator: "\n").first { $0.hasPrefix("replay run ") }!.dropFirst("replay run ".count).prefix(36))
        func count(_ run: String) throws -> Int {
            try db.connection.query("SELECT count(*) AS n FROM candidates WHERE run_id = $1", [UUID(uuidString: run)!])[0].decode(Int.self, "n")
        }
        let added = try count(third) - count(runs[0])
        #expect(added > 0)
        let diff = try CommandRunner.run("nocturne", ["replay", "diff", runs[0], third, "--html", "diff.html"],
                                         workingDirectory: folder, environment: ["NOCTURNE_DATABASE_URL": db.url])
        #expect(diff.status == 0, "\(diff.stderr)")
        func figure(_ label: String, _ text: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(label) }.flatMap { Int($0.split(separator: " ").last ?? "") }
        }
        #expect(figure("candidates appeared in B", diff.stdout) == added, "\(diff.stdout)")
        #expect(figure("candidates gone in B", diff.stdout) == 0, "\(diff.stdout)")
        let html = try String(contentsOf: folder.appendingPathComponent("diff.html"), encoding: .utf8)
        #expect(html.contains("<img") && html.contains("appeared"))
        let same = try CommandRunner.run("nocturne", ["replay", "diff", runs[0], runs[1]], workingDirectory: folder,
                                         environment: ["NOCTURNE_DATABASE_URL": db.url])
        for label in ["candidates appeared in B", "candidates gone in B", "candidates changed", "alerts new in B", "alerts gone in B"] {
            #expect(figure(label, same.stdout) == 0, "\(label): \(same.stdout)")
        }
        try changedRule(night: night, first: runs[0], folder: folder, pipeline: pipeline, db: db, figure: figure)
    }

    /// The night under a changed rule from a folder of its own: the live
    /// rules stay as they were, and the diff shows exactly the added alerts.
    func changedRule(night: URL, first: String, folder: URL, pipeline: String, db: TestDatabase,
                     figure: (String, String) -> Int?) throws {
        let live = "SELECT string_agg(name || ' v' || version, ',' ORDER BY name) AS r FROM alert_rules WHERE active"
        let liveBefore = try db.connection.query(live)[0].decodeIfPresent(String.self, "r")
        let rules = folder.appendingPathComponent("rules-changed", isDirectory: true)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        var yaml = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("config/rules/default.yaml"), encoding: .utf8)
        let original = """
                  all:
                    - kind: {eq: candidate}
                    - is_anomaly: {eq: true}
                    - severity: {at_least: high}
            """
        #expect(yaml.contains(original))
        // Broadened: also every real detection.
        yaml = yaml.replacingOccurrences(of: original, with: """
                  any:
                    - all:
                        - kind: {eq: candidate}
                        - is_anomaly: {eq: true}
                        - severity: {at_least: high}
                    - all:
                        - kind: {eq: candidate}
                        - is_detection: {eq: true}
            """)
        try yaml.write(to: rules.appendingPathComponent("default.yaml"), atomically: true, encoding: .utf8)
        let env = ["NOCTURNE_DATABASE_URL": db.url]
        let out = try CommandRunner.run(
            "nocturne", ["replay", night.path, "--pipeline", pipeline, "--dry-run-delivery", "--idle-seconds", "3",
                         "--rules", rules.path], workingDirectory: folder, environment: env)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("high-severity v2 (new, this replay only)") && out.stdout.contains("bad-subtraction v1 (live)"),
                "\(out.stdout)")
        let run = String(out.stdout.split(separator: "\n").first { $0.hasPrefix("replay run ") }!.dropFirst("replay run ".count).prefix(36))
        #expect(try db.connection.query(live)[0].decodeIfPresent(String.self, "r") == liveBefore, "the live rules changed")
        let pinned = try db.connection.query(
            "SELECT r.active FROM alert_rules r JOIN run_rules p ON p.rule_id = r.id WHERE p.run_id = $1 AND r.name = 'high-severity'",
            [UUID(uuidString: run)!])
        #expect(try pinned.map { try $0.decode(Bool.self, "active") } == [false])
        func alerts(_ run: String) throws -> Int {
            try db.connection.query("SELECT count(*) AS n FROM alerts WHERE run_id = $1", [UUID(uuidString: run)!])[0].decode(Int.self, "n")
        }
        let added = try alerts(run) - alerts(first)
        #expect(added > 0, "the broadened rule raised no more alerts")
        let diff = try CommandRunner.run("nocturne", ["replay", "diff", first, run], workingDirectory: folder, environment: env)
        #expect(figure("alerts new in B", diff.stdout) == added, "\(diff.stdout)")
        for label in ["alerts gone in B", "candidates appeared in B", "candidates gone in B", "candidates changed"] {
            #expect(figure(label, diff.stdout) == 0, "\(label): \(diff.stdout)")
        }
        let list = try CommandRunner.run("nocturne", ["rules", "list", "--run", run], workingDirectory: folder, environment: env)
        #expect(list.stdout.contains("high-severity") && list.stdout.contains(rules.path), "\(list.stdout)")

        // A refused folder stops the replay before it makes a run, naming the rule and key.
        try yaml.replacingOccurrences(of: "is_detection:", with: "is_detectoin:")
            .write(to: rules.appendingPathComponent("default.yaml"), atomically: true, encoding: .utf8)
        let runsBefore = try db.connection.query("SELECT count(*) AS n FROM runs")[0].decode(Int.self, "n")
        let refused = try CommandRunner.run(
            "nocturne", ["replay", night.path, "--pipeline", pipeline, "--rules", rules.path], workingDirectory: folder, environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("high-severity") && refused.stderr.contains("is_detectoin"), "\(refused.stderr)")
        #expect(try db.connection.query("SELECT count(*) AS n FROM runs")[0].decode(Int.self, "n") == runsBefore)
    }

    @Test("at --speed, each file lands at the night's own relative time divided by the factor, within 10%")
    func pace() throws {
        let night = try SimulatedNight.folder(size: 384, fields: 1, epochs: 4, seed: 21, label: "replay")
        let db = try TestDatabase.make()
        let folder = try SharedData.temporaryDirectory("nocturne-replay-pace")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = SharedData.packageRoot.appendingPathComponent("pipelines/replay.yaml").path
        // Epochs are 2 h apart: ×1200 makes that 6 s.
        let out = try CommandRunner.run(
            "nocturne", ["replay", night.path, "--pipeline", pipeline, "--speed", "1200", "--dry-run-delivery", "--idle-seconds", "3"],
            workingDirectory: folder, environment: ["NOCTURNE_DATABASE_URL": db.url])
        #expect(out.status == 0, "\(out.stderr)")
        let run = String(out.stdout.split(separator: "\n").first { $0.hasPrefix("replay run ") }!.dropFirst("replay run ".count).prefix(36))
        let log = try String(contentsOf: folder.appendingPathComponent(".nocturne/replays/\(run)/feed.tsv"), encoding: .utf8)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let science = log.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }.filter { $0.last == "science" }
        let times = science.map { (f.date(from: String($0[1]))!, f.date(from: String($0[2]))!) }
        #expect(times.count == 4)
        for (previous, next) in zip(times, times.dropFirst()) {
            let expected = next.0.timeIntervalSince(previous.0) / 1200, actual = next.1.timeIntervalSince(previous.1)
            #expect(abs(actual - expected) <= 0.1 * expected, "expected \(expected) s between files, got \(actual) s")
        }
    }
}
