import Database
import Foundation
import Testing
import TestSupport

/// `nocturne report`, as the morning after: a replayed night with alerts
/// acknowledged and resolved, written to one HTML file that Chromium opens
/// with every image decoded and no error.
@Suite("Night report", .serialized)
struct ReportCommandTests {
    @Test("the report of a replayed night has its fields, map, alerts with stamps and lifecycle, latency, and opens cleanly in Chromium")
    func report() throws {
        let night = try SimulatedNight.folder(size: 384, fields: 1, epochs: 4, seed: 21, label: "replay")
        let db = try TestDatabase.make()
        let folder = try SharedData.temporaryDirectory("nocturne-report")
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["NOCTURNE_DATABASE_URL": db.url]
        // Rules that alert on every real detection, so the night has alerts.
        let rules = folder.appendingPathComponent("rules", isDirectory: true)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try """
            rules:
              - name: every-detection
                severity: medium
                when: {all: [{kind: {eq: candidate}}, {is_detection: {eq: true}}]}
                dedup_radius_arcsec: 2
                channels: [night-log]
            """.write(to: rules.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let pipeline = SharedData.packageRoot.appendingPathComponent("pipelines/replay.yaml").path
        let replay = try CommandRunner.run(
            "nocturne", ["replay", night.path, "--pipeline", pipeline, "--dry-run-delivery", "--idle-seconds", "3", "--rules", rules.path],
            workingDirectory: folder, environment: env)
        #expect(replay.status == 0, "\(replay.stderr)")
        let run = try #require(replay.stdout.split(separator: "\n").first { $0.hasPrefix("replay run ") }.map {
            String($0.dropFirst("replay run ".count).prefix(36)) })
        let alerts = try db.connection.query("SELECT id FROM alerts WHERE run_id = $1 ORDER BY first_seen_at, id",
                                             [UUID(uuidString: run)!]).map { try $0.decode(UUID.self, "id").uuidString.lowercased() }
        try #require(alerts.count >= 2, "the replay raised \(alerts.count) alerts")
        let ack = try CommandRunner.run("nocturne", ["alerts", "ack", alerts[0], "--by", "ana", "--note", "checking <stamps>"],
                                        workingDirectory: folder, environment: env)
        #expect(ack.status == 0, "\(ack.stderr)")
        let resolve = try CommandRunner.run("nocturne", ["alerts", "resolve", alerts[1], "--by", "ben"], workingDirectory: folder, environment: env)
        #expect(resolve.status == 0, "\(resolve.stderr)")

        let out = try CommandRunner.run("nocturne", ["report", "2026-11-22", "--run", run, "--out", "report.html"],
                                        workingDirectory: folder, environment: env)
        #expect(out.status == 0, "\(out.stderr)")
        let page = folder.appendingPathComponent("report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        let keys = try db.connection.query(
            "SELECT o.observation_key AS k FROM observation_progress p JOIN observations o ON o.id = p.observation_id WHERE p.run_id = $1 AND o.role = 'science'",
            [UUID(uuidString: run)!]).map { try $0.decode(String.self, "k") }
        #expect(keys.count == 4)
        for key in keys { #expect(html.contains(key), "observation \(key) is missing") }
        // The simulator writes no zero point, so the depth is the 5σ point-source flux.
        for chart in ["Seeing FWHM (arcsec)", "Depth, 5σ point-source flux (no zero point) (ADU)", "Astrometric rms (arcsec)",
                      "Per observation"] {
            #expect(html.contains("<title>\(chart)</title>"), "\(chart)")
        }
        #expect(html.contains("Embedding dinsight"), "the map")
        #expect(html.contains("acknowledged by ana: “checking &lt;stamps&gt;”") && html.contains("resolved by ben"))
        #expect(html.contains("every-detection v1"))
        #expect(html.contains("file landed → observation alerted</td><td>4</td>"), "latency of every observation")
        let stamps = html.components(separatedBy: "src=\"data:image/png;base64,").count - 1
        #expect(stamps == alerts.count, "\(stamps) stamps for \(alerts.count) alerts")
        // Every subtraction has its point-source flux error; no magnitude without a zero point.
        let depths = try db.connection.query(
            """
            SELECT (parameters->>'point_flux_error')::float8 AS e, parameters->'limiting_mag_5sigma' = 'null'::jsonb AS no_mag
            FROM difference_runs WHERE run_id = $1
            """, [UUID(uuidString: run)!]).map { (try $0.decodeIfPresent(Double.self, "e"), try $0.decode(Bool.self, "no_mag")) }
        #expect(depths.count == 4 && depths.allSatisfy { ($0.0 ?? 0) > 0 && $0.1 }, "\(depths)")

        let (dom, log) = try HeadlessBrowser.dumpDOM(of: page)
        let body = dom.firstMatch(of: /<body[^>]*>/).map { String($0.output) } ?? "no body"
        #expect(body.contains("data-check=\"ok \(stamps)\"") && !body.contains("data-errors"), "Chromium's check: \(body)")
        #expect(!log.contains("Uncaught"), "\(log)")
        let png = folder.appendingPathComponent("report.png")
        try HeadlessBrowser.screenshot(of: page, to: png)
        let bytes = try Data(contentsOf: png)
        #expect(bytes.count > 10_000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
