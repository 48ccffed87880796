import Database
import Foundation

/// How many items of a run stand at one status (and, for failed items, at
/// which stage they failed).
public struct ProgressCount: Sendable, Equatable {
    public var status: ProgressStatus
    /// The stage whose last attempt failed, for `failed` items.
    public var failedStage: String?
    public var items: Int
}

/// A run's products for one field (`observations.field`; `-` when unset).
public struct FieldSummary: Sendable, Equatable {
    public var field: String
    public var observations: Int
    public var candidates: Int
    public var detections: Int
    public var anomalies: Int
    public var alerts: Int
}

/// An item of a run that stopped at `failed`.
public struct FailedItem: Sendable, Equatable {
    public var observationID: UUID
    /// The observation's file, as ingest registered it.
    public var filePath: String
    /// The stage whose last attempt failed.
    public var stage: String?
    public var error: String?
}

/// What an operator watching a run wants to know: how far its items got,
/// and at the end, what it produced per field and what failed.
extension PipelineStore {
    /// The run's items grouped by status and, for failed ones, failed stage.
    public func progressCounts(runID: UUID) throws -> [ProgressCount] {
        try connection.query(
            """
            SELECT status, failed_stage, count(*) AS items FROM observation_progress
            WHERE run_id = $1 GROUP BY status, failed_stage
            """, [runID]).map { row in
            ProgressCount(status: try row.decode(ProgressStatus.self, "status"),
                          failedStage: try row.decodeIfPresent(String.self, "failed_stage"),
                          items: try row.decode(Int.self, "items"))
        }
    }

    /// How many alerts the run raised.
    public func alertCount(runID: UUID) throws -> Int {
        try connection.query("SELECT count(*) AS alerts FROM alerts WHERE run_id = $1", [runID])[0]
            .decode(Int.self, "alerts")
    }

    /// The run's observations (those with a progress row in it) and their
    /// products, per field, in field order.
    public func fieldSummaries(runID: UUID) throws -> [FieldSummary] {
        try connection.query(
            """
            WITH items AS (
                SELECT o.id, coalesce(o.field, '-') AS field
                FROM observation_progress p JOIN observations o ON o.id = p.observation_id
                WHERE p.run_id = $1
            )
            SELECT i.field, count(*) AS observations,
                   coalesce(sum((SELECT count(*) FROM candidates c WHERE c.run_id = $1 AND c.observation_id = i.id)), 0) AS candidates,
                   coalesce(sum((SELECT count(*) FROM detections d WHERE d.run_id = $1 AND d.observation_id = i.id)), 0) AS detections,
                   coalesce(sum((SELECT count(*) FROM anomalies a WHERE a.run_id = $1 AND a.observation_id = i.id)), 0) AS anomalies,
                   coalesce(sum((SELECT count(*) FROM alerts l WHERE l.run_id = $1 AND l.observation_id = i.id)), 0) AS alerts
            FROM items i GROUP BY i.field ORDER BY i.field
            """, [runID]).map { row in
            FieldSummary(field: try row.decode(String.self, "field"),
                         observations: try row.decode(Int.self, "observations"),
                         candidates: try row.decode(Int.self, "candidates"),
                         detections: try row.decode(Int.self, "detections"),
                         anomalies: try row.decode(Int.self, "anomalies"),
                         alerts: try row.decode(Int.self, "alerts"))
        }
    }

    /// The run's failed items with their stage and error, oldest landed first.
    public func failedItems(runID: UUID) throws -> [FailedItem] {
        try connection.query(
            """
            SELECT p.observation_id, o.file_path, p.failed_stage, p.error
            FROM observation_progress p JOIN observations o ON o.id = p.observation_id
            WHERE p.run_id = $1 AND p.status = 'failed' ORDER BY p.landed_at, o.file_path
            """, [runID]).map { row in
            FailedItem(observationID: try row.decode(UUID.self, "observation_id"),
                       filePath: try row.decode(String.self, "file_path"),
                       stage: try row.decodeIfPresent(String.self, "failed_stage"),
                       error: try row.decodeIfPresent(String.self, "error"))
        }
    }
}
