import Database
import Foundation

/// The kind of a pipeline run.
public enum RunKind: String, Sendable, Codable {
    case live
    case replay
}

/// A row of `runs`.
public struct RunRecord: Sendable, Equatable {
    public var id: UUID
    public var kind: RunKind
    public var night: String?
    public var status: String
    public var codeVersion: String
    public var source: String?
    public var startedAt: Date
    public var finishedAt: Date?
}

extension PipelineStore {
    /// Starts a run and returns its id.
    ///
    /// - Parameters:
    ///   - config: the configuration snapshot (JSON text).
    ///   - night: the observing night it covers (`YYYY-MM-DD`), if one.
    ///   - source: a folder or night description, for the record.
    public func createRun(kind: RunKind, codeVersion: String, config: String = "{}", night: String? = nil,
                          source: String? = nil, parent: UUID? = nil) throws -> UUID {
        let rows = try connection.query(
            """
            INSERT INTO runs (kind, code_version, config, night, source, parent_run_id)
            VALUES ($1, $2, $3::jsonb, $4::date, $5, $6) RETURNING id
            """, [kind.rawValue, codeVersion, config, night, source, parent])
        return try rows[0].decode(UUID.self, "id")
    }

    /// Marks a run finished with `status` (completed, failed or aborted).
    public func finishRun(_ id: UUID, status: String = "completed") throws {
        try connection.execute(
            "UPDATE runs SET status = $2, finished_at = now() WHERE id = $1 AND finished_at IS NULL",
            [id, status])
    }

    /// A run by id, or nil.
    public func run(_ id: UUID) throws -> RunRecord? {
        try connection.query(
            """
            SELECT \(Self.runColumns) FROM runs r WHERE r.id = $1
            """, [id]).first.map(Self.decodeRun)
    }

    /// The columns ``decodeRun(_:)`` reads, of `runs r`.
    static let runColumns = "r.id, r.kind, r.night::text AS night, r.status, r.code_version, r.source, r.started_at, r.finished_at"

    static func decodeRun(_ row: DatabaseRow) throws -> RunRecord {
        RunRecord(
            id: try row.decode(UUID.self, "id"),
            kind: RunKind(rawValue: try row.decode(String.self, "kind")) ?? .live,
            night: try row.decodeIfPresent(String.self, "night"),
            status: try row.decode(String.self, "status"),
            codeVersion: try row.decode(String.self, "code_version"),
            source: try row.decodeIfPresent(String.self, "source"),
            startedAt: try row.decode(Date.self, "started_at"),
            finishedAt: try row.decodeIfPresent(Date.self, "finished_at"))
    }
}
