import Checksum
import Database
import Foundation

/// A row of `models`: a fitted map or classifier the stages load.
public struct ModelRecord: Sendable {
    public var id: UUID
    public var name: String
    /// `embedding`, `real_bogus` or `anomaly`.
    public var kind: String
    public var version: Int
    /// JSON text: the parameters it was fitted with.
    public var parameters: String
    /// JSON text: training figures.
    public var metrics: String
    /// The fitted state (the stage's own JSON encoding).
    public var artifact: Data
}

extension PipelineStore {
    /// The active model of `kind`, or nil.
    public func activeModel(kind: String) throws -> ModelRecord? {
        try connection.query(
            """
            SELECT id, name, kind, version, parameters::text AS parameters, metrics::text AS metrics, artifact
            FROM models WHERE kind = $1 AND active
            """, [kind]).first.map { r in
            ModelRecord(id: try r.decode(UUID.self, "id"), name: try r.decode(String.self, "name"),
                        kind: try r.decode(String.self, "kind"), version: try r.decode(Int.self, "version"),
                        parameters: try r.decode(String.self, "parameters"), metrics: try r.decode(String.self, "metrics"),
                        artifact: try r.decodeIfPresent(Data.self, "artifact") ?? Data())
        }
    }

    /// The id of the active model of `kind`, or nil: a cheap check of
    /// whether a model a stage holds is still the active one.
    public func activeModelID(kind: String) throws -> UUID? {
        try connection.query("SELECT id FROM models WHERE kind = $1 AND active", [kind]).first
            .map { try $0.decode(UUID.self, "id") }
    }

    /// Stores a model as the next version of `name` and makes it the active
    /// one of its kind, in one transaction.
    ///
    /// - Returns: its id and version; when another process activated a model
    ///   of the same kind at the same moment, the loser's insert rolls back
    ///   and this throws (callers reload the active model).
    public func saveActiveModel(name: String, kind: String, parameters: String, metrics: String, training: String,
                                artifact: Data, createdBy: String) throws -> (id: UUID, version: Int) {
        try transaction { store in
            try store.connection.execute("UPDATE models SET active = false WHERE kind = $1 AND active", [kind])
            let artifactHash = SHA256Hex.of(artifact)
            let row = try store.connection.query(
                """
                INSERT INTO models (name, kind, version, parameters, metrics, training, artifact, artifact_sha256, active, created_by)
                SELECT $1, $2, coalesce(max(version), 0) + 1, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, true, $8
                FROM models WHERE name = $1
                RETURNING id, version
                """, [name, kind, parameters, metrics, training, artifact, artifactHash, createdBy])[0]
            return (try row.decode(UUID.self, "id"), try row.decode(Int.self, "version"))
        }
    }

    /// Records one inference batch. Idempotent per (run, model, stage, observation).
    public func recordModelRun(runID: UUID, modelID: UUID, stage: String, observationID: UUID?, items: Int,
                               startedAt: Date, finishedAt: Date, peakMemoryBytes: Int?) throws {
        try connection.execute(
            """
            INSERT INTO model_runs (run_id, model_id, stage, observation_id, n_items, started_at, finished_at, duration_ms,
                                    peak_memory_bytes)
            VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8, $9)
            ON CONFLICT (run_id, model_id, stage, observation_id) DO NOTHING
            """, [runID, modelID, stage, observationID, items, startedAt, finishedAt,
                  max(0, finishedAt.timeIntervalSince(startedAt) * 1000), peakMemoryBytes])
    }

    /// Candidates for fitting a baseline, with their difference stamps: the
    /// newest `limit` of one run and of one night (the UTC date of
    /// DATE-OBS − 12 h, `YYYY-MM-DD`), each filter only when given.
    public func baselineCandidates(runID: UUID? = nil, night: String? = nil, limit: Int) throws -> [CandidateRecord] {
        return try connection.query(
            """
            SELECT c.id, c.candidate_index, c.x, c.y, c.ra, c.dec, c.flux, c.flux_err, c.snr, c.mag, c.mag_err, c.fwhm,
                   c.elong, c.ellipticity, c.theta_deg, c.scorr, c.is_positive, c.flags, c.nneg, c.nbad, c.sumrat,
                   c.magdiff, c.dipole, c.distnr, c.magnr, c.features::text AS features, c.stamp_size,
                   NULL::bytea AS stamp_science, NULL::bytea AS stamp_reference, c.stamp_difference
            FROM candidates c JOIN observations o ON o.id = c.observation_id
            WHERE ($1::uuid IS NULL OR c.run_id = $1)
              AND ($2::date IS NULL OR ((o.date_obs AT TIME ZONE 'UTC') - interval '12 hours')::date = $2::date)
            ORDER BY c.created_at DESC, c.id LIMIT $3
            """, [runID, night, limit]).map(Self.decodeCandidate)
    }
}

/// SHA-256 as lower-case hex, for artifact checksums.
enum SHA256Hex {
    static func of(_ data: Data) -> String {
        var hash = SHA256()
        data.withUnsafeBytes { hash.update($0) }
        return hash.hexDigest()
    }
}
