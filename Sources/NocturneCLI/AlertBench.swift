import Alerting
import ArgumentParser
import Foundation
import Store

/// `nocturne bench alerts`: rule evaluations per second with 100 active
/// rules, and for a run already processed, the time from its score stage's
/// commit to the alert (written in the alert stage's commit and published
/// right after it).
struct AlertBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Rule evaluations per second (100 rules); score-commit → alert latency of a run.")

    @Option var rules = 100
    @Option var subjects = 50_000
    @Option(name: .customLong("run"), help: "A run to measure (default: the newest live run with alerts).") var runFilter: String?

    func run() throws {
        let r = RuleBenchmark.run(rules: rules, subjects: subjects)
        print(String(format: "%d rules × %d subjects: %.0f evaluations/s (subjects prepared once), %.0f/s unprepared; "
                     + "%.0f router decisions/s; %d rules parsed and compiled in %.1f ms",
                     r.rules, r.subjects, r.evaluationsPerSecond, r.unpreparedEvaluationsPerSecond, r.routedPerSecond,
                     r.rules, r.parseSeconds * 1000))
        let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.bench")).store
        let rows = try store.connection.query(
            """
            WITH run AS (SELECT coalesce($1::uuid, (SELECT run_id FROM alerts WHERE kind = 'candidate'
                                                    ORDER BY created_at DESC LIMIT 1)) AS id)
            SELECT extract(epoch FROM a.created_at - (t ->> 'at')::timestamptz) AS seconds
            FROM alerts a, run, jsonb_array_elements(a.payload -> 'timestamps') t
            WHERE a.run_id = run.id AND t ->> 'stage' = 'score' AND t ->> 'event' = 'committed'
            ORDER BY 1
            """, [runFilter.flatMap(UUID.init(uuidString:))])
        let seconds = try rows.map { try $0.decode(Double.self, "seconds") }
        guard !seconds.isEmpty else { return print("no alerts with stage timestamps to measure yet; run a night first") }
        func q(_ p: Double) -> Double { seconds[min(seconds.count - 1, Int((Double(seconds.count - 1) * p).rounded()))] }
        print(String(format: "score committed → alert committed and published: p50 %.3f s, p99 %.3f s over %d alerts",
                     q(0.5), q(0.99), seconds.count))
    }
}
