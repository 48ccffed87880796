import Database
import Store
import Foundation
import Testing
import TestSupport

/// Alerts from a night to real subscribers: a ZeroMQ SUB client in its own
/// process (`nocturne alerts tail`) and a webhook receiver in its own process
/// that verifies the HMAC and fails the first alert three times.
@Suite("Alert delivery", .serialized)
struct AlertDeliveryTests {
    static let rules = """
        rules:
          - name: every-detection
            description: every real detection, for the delivery test
            severity: medium
            when:
              all:
                - kind: {eq: candidate}
                - is_detection: {eq: true}
            group_by: [rule]
            group_wait: 0s
            group_interval: 1s
            repeat_interval: 24h
            dedup_radius_arcsec: 2
            channels: [zeromq, hook, log]
        """

    @Test("subscribers get exactly the alerts the rules imply, once each; the webhook's retries are tracked")
    func deliveries() throws {
        let (references, science) = try ChainTests.night()
        let database = try TestDatabase.make()
        let chain = try ChainProcesses(database: database, label: "alerts")
        defer { chain.stopAll() }
        let rulesFolder = chain.folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rulesFolder, withIntermediateDirectories: true)
        try Self.rules.write(to: rulesFolder.appendingPathComponent("test.yaml"), atomically: true, encoding: .utf8)
        let receiver = try WebhookReceiverProcess(folder: chain.folder, secret: "s3cret", failures: 3)
        defer { receiver.stop() }
        let journal = chain.folder.appendingPathComponent("alerts.jsonl").path
        let config = chain.folder.appendingPathComponent("alert.yaml")
        try """
            alert:
              rules_dir: \(rulesFolder.path)
              dispatch_interval_ms: 100
              channels:
                - {name: zeromq, type: zeromq}
                - {name: hook, type: webhook, url: "\(receiver.url)", secret_env: TEST_HOOK_SECRET, backoff_seconds: 0.2, max_attempts: 5}
                - {name: log, type: file, path: "\(journal)"}
            """.write(to: config, atomically: true, encoding: .utf8)
        setenv("TEST_HOOK_SECRET", "s3cret", 1)

        for stage in ChainProcesses.stages.reversed() {
            try chain.start(stage, extra: stage == "alert" ? ["--config", config.path] : [])
        }
        let tail = try TailProcess(endpoint: "tcp://127.0.0.1:\(chain.basePort + 99)", folder: chain.folder)
        defer { tail.stop() }
        Thread.sleep(forTimeInterval: 1.5)  // a PUB socket drops what it sends before the SUB has joined
        try chain.startIngest(files: references + science)
        #expect(try chain.waitUntilSettled(expected: science.count, seconds: 600))

        let q = database.connection
        func ids(_ sql: String) throws -> Set<String> { Set(try q.query(sql, [chain.runID]).map { try $0.decode(String.self, "id") }) }
        let expected = try ids("SELECT id::text AS id FROM alerts WHERE run_id = $1 AND suppression IS NULL")
        #expect(!expected.isEmpty)
        // What the rule implies: one alert per detection position, its count the detections there.
        #expect(try chain.count("SELECT coalesce(sum(count), 0) AS n FROM alerts WHERE run_id = $1")
            == chain.count("SELECT count(*) AS n FROM detections WHERE run_id = $1"))

        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, Set(receiver.requests().filter { $0["status"] as? Int == 200 }.map { $0["alert_id"] as! String }) != expected {
            usleep(200_000)
        }
        let requests = receiver.requests()
        let accepted = requests.filter { $0["status"] as? Int == 200 }.map { $0["alert_id"] as! String }
        #expect(Set(accepted) == expected && accepted.count == expected.count, "each alert accepted once")
        #expect(requests.allSatisfy { $0["valid"] as? Bool == true }, "every signature verifies")
        let retried = try q.query(
            "SELECT attempts, status FROM alert_deliveries WHERE channel = 'webhook' AND attempts > 1")
        #expect(retried.count == 1)
        #expect(try retried.first?.decode(Int.self, "attempts") == 4 && retried.first?.decode(String.self, "status") == "delivered")

        let streamed = tail.alertIDs(waitingFor: expected.count, seconds: 20)
        #expect(Set(streamed) == expected && streamed.count == expected.count, "the SUB client got each alert once")
        let journalIDs = ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["alert"] as? [String: Any]
        }.compactMap { $0["alert_id"] as? String }
        #expect(Set(journalIDs) == expected)
        #expect(try chain.count("SELECT count(*) AS n FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.run_id = $1 AND d.status NOT IN ('delivered', 'sent')") == 0)
        try Self.operatorCommands(chain, rulesFolder: rulesFolder, alert: expected.sorted().first!)
    }

    /// Rules refused and changed, an alert acknowledged and resolved, a silence: all audited.
    static func operatorCommands(_ chain: ChainProcesses, rulesFolder: URL, alert: String) throws {
        let env = ["NOCTURNE_DATABASE_URL": chain.database.url]
        func nocturne(_ arguments: [String]) throws -> CommandRunner.Output {
            try CommandRunner.run("nocturne", arguments, workingDirectory: chain.folder, environment: env)
        }
        func count(_ sql: String) throws -> Int { try chain.count(sql) }
        let versions = "SELECT coalesce(sum(version), 0) AS n FROM alert_rules WHERE $1::uuid IS NOT NULL AND active"
        let before = try count(versions)
        let bad = chain.folder.appendingPathComponent("bad-rules")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        for (name, text) in [("field", "snrr: {gte: 5}"), ("type", "snr: {gte: ten}"),
                             ("region", "region: {cone: {ra: 10, dec: 95, radius_arcsec: 3}}")] {
            try "rules:\n  - name: bad-\(name)\n    severity: low\n    when:\n      all:\n        - \(text)\n    channels: [zeromq]\n"
                .write(to: bad.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let refused = try nocturne(["rules", "apply", bad.path])
        #expect(refused.status != 0)
        for name in ["bad-field", "bad-type", "bad-region"] { #expect(refused.stderr.contains(name), "\(refused.stderr)") }
        #expect(refused.stderr.contains("snrr") && refused.stderr.contains("when"), "\(refused.stderr)")
        #expect(try count(versions) == before, "a refused apply changes nothing")

        try Self.rules.replacingOccurrences(of: "severity: medium", with: "severity: high")
            .write(to: rulesFolder.appendingPathComponent("test.yaml"), atomically: true, encoding: .utf8)
        let applied = try nocturne(["rules", "apply", rulesFolder.path, "--by", "tester"])
        #expect(applied.status == 0 && applied.stdout.contains("updated to v2"), "\(applied.stdout) \(applied.stderr)")
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE $1::uuid IS NOT NULL AND action = 'rule.update' AND actor = 'tester'") == 1)

        #expect(try nocturne(["alerts", "ack", alert, "--by", "tester", "--note", "looking"]).status == 0)
        #expect(try nocturne(["alerts", "ack", alert, "--by", "tester"]).status != 0, "only an active alert can be acknowledged")
        #expect(try nocturne(["alerts", "resolve", String(alert.prefix(8)), "--by", "tester"]).status == 0)
        let list = try nocturne(["alerts", "list", "--state", "resolved", "--run", chain.runID.uuidString])
        #expect(list.stdout.contains(String(alert.prefix(8))), "\(list.stdout)")
        let show = try nocturne(["alerts", "show", alert])
        #expect(show.stdout.contains("\"why\"") && show.stdout.contains("acknowledged by tester"), "\(show.stdout)")
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE $1::uuid IS NOT NULL AND action IN ('alert.acknowledged', 'alert.resolved')") == 2)
        let silence = try nocturne(["silence", "add", "--match", "field=NOC-F00", "--for", "1h", "--by", "tester", "--comment", "clouds"])
        #expect(silence.status == 0, "\(silence.stderr)")
        #expect(try nocturne(["silence", "add", "--match", "colour=red", "--for", "1h"]).status != 0)
        #expect(try nocturne(["silence", "list"]).stdout.contains("clouds"))

        // Not seen for two days: the active ones expire, audited; the resolved one stays resolved.
        _ = try chain.database.connection.execute(
            "UPDATE alerts SET last_seen_at = first_seen_at, first_seen_at = first_seen_at - interval '2 days' WHERE run_id = $1",
            [chain.runID])
        _ = try chain.database.connection.execute(
            "UPDATE alerts SET last_seen_at = last_seen_at - interval '2 days' WHERE run_id = $1", [chain.runID])
        let active = try count("SELECT count(*) AS n FROM alerts WHERE run_id = $1 AND state = 'active'")
        let expired = try PipelineStore(connection: chain.database.connection).expireStaleAlerts(notSeenFor: 86_400, actor: "test")
        #expect(expired == active && active > 0)
        #expect(try count("SELECT count(*) AS n FROM alerts WHERE run_id = $1 AND state = 'resolved'") == 1)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE $1::uuid IS NOT NULL AND action = 'alert.expired'") == active)
    }
}

/// `nocturne alerts tail --json` in its own process, its output in a file.
final class TailProcess {
    let process = Process()
    let output: URL

    init(endpoint: String, folder: URL) throws {
        output = folder.appendingPathComponent("tail.jsonl")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("nocturne")
        process.arguments = ["alerts", "tail", "--endpoint", endpoint, "--json"]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The alert ids printed so far, waiting up to `seconds` for `count` of them.
    func alertIDs(waitingFor count: Int, seconds: Double) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var ids: [String] = []
        repeat {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            ids = text.split(separator: "\n").compactMap {
                ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["alert_id"] as? String
            }
            if ids.count >= count { break }
            usleep(200_000)
        } while Date() < deadline
        return ids
    }

    func stop() {
        // SIGKILL: a child of the test process may inherit an ignored SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
