import Database
import Foundation
import Pipelines
import Store
import Supervisor
import Testing
import TestSupport

/// The status line and idle detection read a real run from PostgreSQL.
@Suite struct RunMonitorTests {
    /// A run with observations in two fields at the given progress statuses.
    func makeRun(_ statuses: [(field: String, status: String, failedStage: String?)]) throws -> (PipelineStore, UUID) {
        let database = try TestDatabase.make()
        let store = PipelineStore(connection: database.connection)
        let run = try store.createRun(kind: .live, codeVersion: "test")
        let survey = try database.connection.query("INSERT INTO surveys (name) VALUES ('test') RETURNING id")[0]
            .decode(UUID.self, "id")
        for (index, item) in statuses.enumerated() {
            let observation = try database.connection.query(
                """
                INSERT INTO observations (run_id, survey_id, observation_key, field, date_obs, exptime, naxis1, naxis2,
                                          file_path, file_sha256, header)
                VALUES ($1, $2, $3, $4, now(), 60, 10, 10, $5, $6, '{}') RETURNING id
                """, [run, survey, "key-\(index)", item.field, "/night/f\(index).fits",
                      String(repeating: String(index % 10), count: 64)])[0].decode(UUID.self, "id")
            try store.registerProgress(runID: run, observationID: observation)
            if item.status == "failed" {
                try store.fail(runID: run, observationID: observation, stage: item.failedStage!, error: "bad pixels")
            } else {
                try store.complete(runID: run, observationID: observation, status: ProgressStatus(rawValue: item.status)!)
            }
        }
        return (store, run)
    }

    @Test func countsSayHowFarItemsGotAndWhatWaits() throws {
        let (store, run) = try makeRun([("a", "alerted", nil), ("a", "embedded", nil), ("b", "ingested", nil),
                                        ("b", "failed", "difference")])
        let counts = try RunCounts(store: store, runID: run)
        #expect(counts.total == 4)
        #expect(counts.reached(.ingest) == 4)
        // The failed item got past preprocess before difference failed it.
        #expect(counts.reached(.preprocess) == 3)
        #expect(counts.reached(.difference) == 2)
        #expect(counts.reached(.score) == 1)
        #expect(counts.waiting(.preprocess) == 1)
        #expect(counts.waiting(.score) == 1)
        #expect(!counts.allTerminal(["alerted", "failed"]))
        #expect(counts.statusLine(kinds: [.ingest, .preprocess], restarts: 2)
            == "ingest 4 | preprocess 3 [1] | failed 1 | alerts 0 | restarts 2")
    }

    @Test func anIdleRunOfFinishedItemsAsksForAStop() throws {
        let (store, run) = try makeRun([("a", "alerted", nil), ("b", "failed", "score")])
        let definition = try PipelineLoader.load(file: PipelineFilesTestsFolder.local)
        let standIns = try StandIns()
        let monitor = RunMonitor(store: store, runID: run, definition: definition, console: standIns.console,
                                 untilIdle: true, idleSeconds: 0)
        #expect(monitor.check(restarts: 0) == .stop)
        #expect(standIns.said.contains("ingest 2 | preprocess 2 [0]"))
        #expect(standIns.said.contains("run idle"))

        let summaries = try store.fieldSummaries(runID: run)
        #expect(summaries.map(\.field) == ["a", "b"])
        #expect(summaries.map(\.observations) == [1, 1])
        let failed = try store.failedItems(runID: run)
        #expect(failed.map(\.stage) == ["score"])
        #expect(failed.map(\.error) == ["bad pixels"])
    }

    @Test func aRunWithWorkInFlightIsNotIdle() throws {
        let (store, run) = try makeRun([("a", "alerted", nil), ("a", "scored", nil)])
        let definition = try PipelineLoader.load(file: PipelineFilesTestsFolder.local)
        let monitor = RunMonitor(store: store, runID: run, definition: definition, console: try StandIns().console,
                                 untilIdle: true, idleSeconds: 0)
        #expect(monitor.check(restarts: 0) == .keepRunning)
    }
}

enum PipelineFilesTestsFolder {
    static let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("pipelines/local.yaml")
}
