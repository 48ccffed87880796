import Database
import Envelopes
import Foundation
import Logging
import StageRuntime
import Store
import TestSupport

/// A migrated test database with one run, a toy results table, and helpers
/// to add observations and read their progress.
struct RuntimeFixture {
    let url: String
    let store: PipelineStore
    let runID: UUID

    /// A fresh database (from `TestDatabase`) with a run of `kind`.
    static func make(kind: RunKind = .live) throws -> RuntimeFixture {
        let database = try TestDatabase.make()
        return try RuntimeFixture(url: database.url, connection: database.connection, kind: kind)
    }

    /// A fixture on an already migrated database at `url`.
    init(url: String, connection: DatabaseConnection, kind: RunKind = .live) throws {
        self.url = url
        store = PipelineStore(connection: connection)
        runID = try store.createRun(kind: kind, codeVersion: "test")
        try connection.execute(ToyWorker.createResultsTable)
    }

    /// Opens another store on the same database (for a second "instance" or
    /// a thread of its own).
    func connect() throws -> PipelineStore {
        PipelineStore(connection: try DatabaseConnection(url: url))
    }

    /// Inserts one observation row of this fixture's run and returns its id.
    /// `id` lets a caller (a toy source) choose it in advance.
    @discardableResult
    static func insertObservation(_ store: PipelineStore, runID: UUID, id: UUID = UUID()) throws -> UUID {
        let survey = try store.survey(named: "toy-survey")
        let hex = id.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try store.connection.execute(
            """
            INSERT INTO observations (id, run_id, survey_id, observation_key, date_obs, exptime, naxis1, naxis2,
                                      file_path, file_sha256, header)
            VALUES ($1, $2, $3, $4, now(), 30, 64, 64, $5, $6, '{}'::jsonb)
            ON CONFLICT (id) DO NOTHING
            """, [id, runID, survey, "toy-\(hex)", "/toy/\(hex).fits", String(repeating: "0", count: 32) + hex])
        return id
    }

    /// Adds `count` observations with progress rows at `status` (landing
    /// 1 ms apart, in order), without sending anything.
    @discardableResult
    func addObservations(_ count: Int, at status: ProgressStatus = .ingested) throws -> [UUID] {
        let start = Date()
        return try (0..<count).map { index in
            let id = try Self.insertObservation(store, runID: runID)
            try store.registerProgress(runID: runID, observationID: id, landedAt: start.addingTimeInterval(Double(index) / 1000))
            if status != .ingested {
                try store.connection.execute(
                    "UPDATE observation_progress SET status = $3 WHERE run_id = $1 AND observation_id = $2",
                    [runID, id, status])
            }
            return id
        }
    }

    /// Gives an item a lease held by `owner`, already expired when `expired`
    /// (as a crashed instance leaves it), else live for an hour.
    func lease(_ id: UUID, to owner: String, expired: Bool, run: UUID? = nil) throws {
        try store.connection.execute(
            """
            UPDATE observation_progress
            SET lease_owner = $3, lease_until = now() + (CASE WHEN $4 THEN interval '-1 minute' ELSE interval '1 hour' END)
            WHERE run_id = $1 AND observation_id = $2
            """, [run ?? runID, id, owner, expired])
    }

    /// The item's progress row (it must exist).
    func progress(_ id: UUID, run: UUID? = nil) throws -> ProgressRecord {
        guard let record = try store.progress(runID: run ?? runID, observationID: id) else {
            throw FixtureError("no progress row for \(id)")
        }
        return record
    }

    /// `observations.status` and `error` of one observation.
    func observationStatus(_ id: UUID) throws -> (status: String, error: String?) {
        let row = try store.connection.query("SELECT status, error FROM observations WHERE id = $1", [id])[0]
        return (try row.decode(String.self, "status"), try row.decodeIfPresent(String.self, "error"))
    }

    /// Rows the toy workers wrote for `stage`.
    func results(stage: String) throws -> Int {
        try store.connection.query("SELECT count(*) AS n FROM toy_results WHERE stage = $1", [stage])[0]
            .decode(Int.self, "n")
    }

    /// A configuration with short waits, so the suite stays fast: the input
    /// binds an ephemeral port on the loopback interface. The rescan is an
    /// hour unless given, so only the rescan at start runs.
    func configuration(stage: String, instance: String? = nil, input: String? = "tcp://127.0.0.1:*",
                       outputs: [String] = [], rescan: Duration = .seconds(3600)) -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration(
            stage: stage, instance: instance, runID: runID, input: input, outputs: outputs,
            archive: FileManager.default.temporaryDirectory, databaseURL: url)
        configuration.rescanInterval = rescan
        configuration.pollTimeout = .milliseconds(20)
        configuration.retryBackoff = .milliseconds(10)
        configuration.maximumBackoff = .milliseconds(50)
        configuration.sendTimeout = .seconds(5)
        return configuration
    }

    /// An envelope announcing `id` at `kind`, as the previous stage would send it.
    func message(_ id: UUID, kind: MessageKind = .ingested) -> Envelope {
        var envelope = Envelope(kind: kind, runID: runID, traceID: UUID(), observationID: id)
        envelope.stamp("ingest", .landed)
        return envelope
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Logs for tests: quiet unless `NOCTURNE_TEST_LOG` names a level (e.g. `debug`).
let testLogger: Logger = {
    var logger = Logger(label: "nocturne.test")
    let level = ProcessInfo.processInfo.environment["NOCTURNE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:))
    logger.logLevel = level ?? .critical
    return logger
}()
