import ArgumentParser
import Foundation
import Store

/// `nocturne bench chain`: the streaming chain's figures for a finished run
/// (by default the newest): throughput in images per minute from the first
/// landing to the last alerted item, and the latency from a file landing to
/// its item being alerted, p50 and p99, with the slowest stage.
///
/// Produce the run with `scripts/bench-chain` (a simulated 24-image 2048²
/// night through `nocturne run pipelines/local.yaml --until-idle` on a
/// release build), or any `nocturne run`.
struct ChainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "Throughput and landing-to-alert latency of a finished run.")

    @Option(name: .customLong("run-id"), help: "The run to measure (default: the newest run with progress).")
    var runID: String?

    func run() throws {
        let logger = CommandLogging.logger("nocturne.bench")
        let context = try DatabaseContext.open(logger: logger)
        let connection = context.store.connection
        let id: UUID
        if let runID {
            guard let parsed = UUID(uuidString: runID) else { throw ValidationError("'\(runID)' is not a UUID") }
            id = parsed
        } else {
            guard let row = try connection.query(
                "SELECT run_id FROM observation_progress GROUP BY run_id ORDER BY max(updated_at) DESC LIMIT 1").first else {
                throw CommandFailure("no run has any progress yet; run `scripts/bench-chain` first")
            }
            id = try row.decode(UUID.self, "run_id")
        }
        let rows = try connection.query(
            """
            SELECT count(*) FILTER (WHERE status = 'alerted') AS done, count(*) FILTER (WHERE status = 'failed') AS failed,
                   extract(epoch FROM max(updated_at) FILTER (WHERE status = 'alerted') - min(landed_at)) AS span,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - landed_at))
                       FILTER (WHERE status = 'alerted') AS p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - landed_at))
                       FILTER (WHERE status = 'alerted') AS p99
            FROM observation_progress WHERE run_id = $1
            """, [id])[0]
        let done = try rows.decode(Int.self, "done"), failed = try rows.decode(Int.self, "failed")
        guard done > 0 else { throw CommandFailure("run \(id) has no alerted items") }
        let span = try rows.decodeIfPresent(Double.self, "span") ?? .nan
        let p50 = try rows.decodeIfPresent(Double.self, "p50") ?? .nan, p99 = try rows.decodeIfPresent(Double.self, "p99") ?? .nan
        print("run \(id): \(done) images alerted, \(failed) failed")
        print(String(format: "throughput: %.2f images/min (%.1f s from first landing to last alert)", Double(done) / span * 60, span))
        print(String(format: "landing → alerted latency: p50 %.1f s, p99 %.1f s", p50, p99))
        let stages = try connection.query(
            """
            SELECT 'preprocess' AS stage, avg(duration_ms) AS ms FROM preprocess_runs WHERE run_id = $1
            UNION ALL SELECT 'difference', avg(duration_ms) FROM difference_runs WHERE run_id = $1
            UNION ALL SELECT 'embed+score', avg(duration_ms) FROM model_runs WHERE run_id = $1
            ORDER BY ms DESC NULLS LAST
            """, [id])
        for row in stages {
            if let ms = try row.decodeIfPresent(Double.self, "ms") {
                print(String(format: "  %@: %.0f ms per image (mean)", try row.decode(String.self, "stage"), ms))
            }
        }
    }
}
