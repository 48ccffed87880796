import Database
import Foundation

/// The status an observation has in a run's `observation_progress`: where it
/// stands in the chain. Each stage takes items at one status and leaves them
/// at the next; `failed` is where an item stops after its last attempt.
public enum ProgressStatus: String, Sendable, Codable, CaseIterable, PostgresEncodable, PostgresDecodable {
    case ingested, preprocessed, differenced, extracted, embedded, scored, alerted, failed

    /// The raw value, as the `status` columns hold it.
    public var postgresText: String { rawValue }

    /// Reads a `status` column; nil for a value this build does not know.
    public init?(postgresText text: String, type: UInt32) { self.init(rawValue: text) }
}

/// One row of `observation_progress`.
public struct ProgressRecord: Sendable, Equatable {
    public var runID: UUID
    public var observationID: UUID
    public var status: ProgressStatus
    /// The stage whose last attempt failed, while the item is `failed`.
    public var failedStage: String?
    /// The last failed attempt's error, kept until the item completes a stage.
    public var error: String?
    /// Failed attempts so far, over all stages.
    public var attempts: Int
    /// The stage instance holding the item, and until when.
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// When ingest first saw the file.
    public var landedAt: Date
    public var updatedAt: Date
}

/// The run's progress table as a work queue. A stage instance *claims* an
/// item by taking a lease on it (owner and expiry); a lease that expired, or
/// that the same owner holds, can be claimed again, so a crashed instance's
/// work is found again. Completing or failing an item clears its lease.
///
/// For live runs, `observations.status` (and `error`) mirror the progress in
/// the same statement, so operators' views of the night stay consistent; a
/// replay never touches them.
extension PipelineStore {
    /// Records that an observation entered `runID` at `ingested`. Idempotent:
    /// a second registration of the same pair changes nothing.
    ///
    /// - Returns: true if this call inserted the row.
    @discardableResult
    public func registerProgress(runID: UUID, observationID: UUID, landedAt: Date = Date()) throws -> Bool {
        try connection.execute(
            """
            INSERT INTO observation_progress (run_id, observation_id, status, landed_at)
            VALUES ($1, $2, 'ingested', $3::timestamptz)
            ON CONFLICT (run_id, observation_id) DO NOTHING
            """, [runID, observationID, landedAt]) == 1
    }

    /// Takes the lease on one item if it is at `status` and its lease is free,
    /// expired, or already `owner`'s (so a restarted instance resumes its own
    /// items at once, and a retry refreshes its lease).
    ///
    /// - Parameter lease: how long the item is held from now.
    /// - Returns: false when the item is at another status (already done, or
    ///   failed) or another owner holds a live lease.
    public func claim(runID: UUID, observationID: UUID, status: ProgressStatus, owner: String,
                      lease: Duration) throws -> Bool {
        try !connection.query(
            """
            UPDATE observation_progress
            SET lease_owner = $4, lease_until = now() + $5::double precision * interval '1 second'
            WHERE run_id = $1 AND observation_id = $2 AND status = $3
              AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $4)
            RETURNING observation_id
            """, [runID, observationID, status, owner, lease.inSeconds]).isEmpty
    }

    /// Claims up to `limit` items at `status` whose lease is free, expired or
    /// `owner`'s, oldest landed first. Rows another transaction is claiming
    /// are skipped (`FOR UPDATE SKIP LOCKED`), so instances never wait on
    /// each other or claim the same item.
    ///
    /// - Returns: the claimed observations, oldest landed first.
    public func claimNext(runID: UUID, status: ProgressStatus, owner: String, lease: Duration,
                          limit: Int = 1) throws -> [UUID] {
        let rows = try connection.query(
            """
            WITH candidates AS (
                SELECT run_id, observation_id FROM observation_progress
                WHERE run_id = $1 AND status = $2
                  AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $3)
                ORDER BY landed_at, observation_id
                LIMIT $5
                FOR UPDATE SKIP LOCKED
            )
            UPDATE observation_progress p
            SET lease_owner = $3, lease_until = now() + $4::double precision * interval '1 second'
            FROM candidates c
            WHERE p.run_id = c.run_id AND p.observation_id = c.observation_id
            RETURNING p.observation_id, p.landed_at
            """, [runID, status, owner, lease.inSeconds, max(limit, 0)])
        // RETURNING keeps no order, so sort again.
        return try rows.map { (try $0.decode(Date.self, "landed_at"), try $0.decode(UUID.self, "observation_id")) }
            .sorted { ($0.0, $0.1.uuidString) < ($1.0, $1.1.uuidString) }.map(\.1)
    }

    /// Advances an item to `status` and clears its lease and last error; for
    /// a live run, sets `observations.status` in the same statement.
    ///
    /// - Parameter owner: when given, the item advances only while `owner`
    ///   still holds its lease. A stage passes its own name, so an instance
    ///   whose lease expired and was taken over cannot complete the item a
    ///   second time (its transaction then rolls back).
    /// - Returns: false when no row matched (unknown item, or lease lost).
    @discardableResult
    public func complete(runID: UUID, observationID: UUID, status: ProgressStatus, owner: String? = nil) throws -> Bool {
        let rows = try connection.query(
            """
            WITH advanced AS (
                UPDATE observation_progress
                SET status = $3, lease_owner = NULL, lease_until = NULL, failed_stage = NULL, error = NULL
                WHERE run_id = $1 AND observation_id = $2 AND ($4::text IS NULL OR lease_owner = $4)
                RETURNING run_id, observation_id
            ), mirrored AS (
                UPDATE observations o SET status = $3, error = NULL
                FROM advanced a JOIN runs r ON r.id = a.run_id
                WHERE o.id = a.observation_id AND r.kind = 'live'
                RETURNING o.id
            )
            SELECT (SELECT count(*) FROM advanced) AS advanced, (SELECT count(*) FROM mirrored) AS mirrored
            """, [runID, observationID, status, owner])
        return try rows[0].decode(Int.self, "advanced") > 0
    }

    /// Marks an item `failed` at `stage` with `error`, counts the attempt and
    /// clears the lease; for a live run, sets `observations.status` and
    /// `observations.error` in the same statement.
    ///
    /// - Parameter owner: when given, the item is marked only while `owner`
    ///   still holds its lease, so an instance whose lease was taken over
    ///   cannot fail an item another instance is working on (or has done).
    /// - Returns: false when no row matched (unknown item, or lease lost).
    @discardableResult
    public func fail(runID: UUID, observationID: UUID, stage: String, error: String,
                     owner: String? = nil) throws -> Bool {
        let rows = try connection.query(
            """
            WITH failed AS (
                UPDATE observation_progress
                SET status = 'failed', failed_stage = $3, error = $4, attempts = attempts + 1,
                    lease_owner = NULL, lease_until = NULL
                WHERE run_id = $1 AND observation_id = $2 AND ($5::text IS NULL OR lease_owner = $5)
                RETURNING run_id, observation_id
            ), mirrored AS (
                UPDATE observations o SET status = 'failed', error = $4
                FROM failed f JOIN runs r ON r.id = f.run_id
                WHERE o.id = f.observation_id AND r.kind = 'live'
                RETURNING o.id
            )
            SELECT (SELECT count(*) FROM failed) AS failed, (SELECT count(*) FROM mirrored) AS mirrored
            """, [runID, observationID, stage, error, owner])
        return try rows[0].decode(Int.self, "failed") > 0
    }

    /// Drops `owner`'s lease on an item without changing its status, so any
    /// instance may take it at once (a stage stopping between attempts).
    @discardableResult
    public func release(runID: UUID, observationID: UUID, owner: String) throws -> Bool {
        try connection.execute(
            """
            UPDATE observation_progress SET lease_owner = NULL, lease_until = NULL
            WHERE run_id = $1 AND observation_id = $2 AND lease_owner = $3
            """, [runID, observationID, owner]) == 1
    }

    /// Gives an item back for `seconds`: held under a `postponed:` owner
    /// until then, so the instance's own rescan goes on to other items
    /// instead of taking the same one again at once.
    @discardableResult
    public func postpone(runID: UUID, observationID: UUID, owner: String, seconds: Double) throws -> Bool {
        try connection.execute(
            """
            UPDATE observation_progress SET lease_owner = 'postponed:' || $3::text,
                   lease_until = now() + make_interval(secs => $4::float8)
            WHERE run_id = $1 AND observation_id = $2 AND lease_owner = $3
            """, [runID, observationID, owner, seconds]) == 1
    }

    /// Counts one failed attempt that will be retried, keeping its error;
    /// the status and lease stay as they are.
    @discardableResult
    public func recordAttempt(runID: UUID, observationID: UUID, error: String) throws -> Bool {
        try connection.execute(
            """
            UPDATE observation_progress SET attempts = attempts + 1, error = $3
            WHERE run_id = $1 AND observation_id = $2
            """, [runID, observationID, error]) == 1
    }

    /// How many items of `runID` are at each status; statuses with none are
    /// absent.
    public func queueDepths(runID: UUID) throws -> [ProgressStatus: Int] {
        let rows = try connection.query(
            "SELECT status, count(*) AS items FROM observation_progress WHERE run_id = $1 GROUP BY status",
            [runID])
        var depths: [ProgressStatus: Int] = [:]
        for row in rows {
            depths[try row.decode(ProgressStatus.self, "status")] = try row.decode(Int.self, "items")
        }
        return depths
    }

    /// One item's progress row, or nil.
    public func progress(runID: UUID, observationID: UUID) throws -> ProgressRecord? {
        try connection.query(
            """
            SELECT run_id, observation_id, status, failed_stage, error, attempts, lease_owner, lease_until,
                   landed_at, updated_at
            FROM observation_progress WHERE run_id = $1 AND observation_id = $2
            """, [runID, observationID]).first.map(Self.decodeProgress)
    }

    static func decodeProgress(_ row: DatabaseRow) throws -> ProgressRecord {
        ProgressRecord(
            runID: try row.decode(UUID.self, "run_id"), observationID: try row.decode(UUID.self, "observation_id"),
            status: try row.decode(ProgressStatus.self, "status"), failedStage: try row.decodeIfPresent(String.self, "failed_stage"),
            error: try row.decodeIfPresent(String.self, "error"), attempts: try row.decode(Int.self, "attempts"),
            leaseOwner: try row.decodeIfPresent(String.self, "lease_owner"),
            leaseUntil: try row.decodeIfPresent(Date.self, "lease_until"),
            landedAt: try row.decode(Date.self, "landed_at"), updatedAt: try row.decode(Date.self, "updated_at"))
    }
}

extension Duration {
    /// The duration in seconds, for SQL intervals.
    var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
