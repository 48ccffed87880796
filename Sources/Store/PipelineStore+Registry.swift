import Database
import Foundation

/// One model in the registry, without its artifact: what `nocturne model
/// list` shows.
public struct ModelSummary: Sendable {
    public var id: UUID
    public var name: String, kind: String
    public var version: Int
    public var active: Bool
    /// JSON texts.
    public var parameters: String, metrics: String, training: String
    public var createdBy: String?
    public var createdAt: Date
}

/// An operator's label of a candidate, the newest one per candidate.
public struct CandidateLabel: Sendable {
    public var candidateID: UUID
    public var label: String
    public var actor: String
    public var at: Date
}

extension PipelineStore {
    /// Stores a model as the next version of `name`; active only when asked
    /// (then in the same transaction as deactivating the previous one).
    public func saveModel(name: String, kind: String, parameters: String, metrics: String, training: String,
                          artifact: Data, createdBy: String, activate: Bool) throws -> (id: UUID, version: Int) {
        if activate {
            return try saveActiveModel(name: name, kind: kind, parameters: parameters, metrics: metrics,
                                       training: training, artifact: artifact, createdBy: createdBy)
        }
        let row = try connection.query(
            """
            INSERT INTO models (name, kind, version, parameters, metrics, training, artifact, artifact_sha256, active, created_by)
            SELECT $1, $2, coalesce(max(version), 0) + 1, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, false, $8
            FROM models WHERE name = $1
            RETURNING id, version
            """, [name, kind, parameters, metrics, training, artifact, SHA256Hex.of(artifact), createdBy])[0]
        return (try row.decode(UUID.self, "id"), try row.decode(Int.self, "version"))
    }

    /// Makes a stored model the active one of its kind; returns its kind.
    public func activateModel(id: UUID, actor: String) throws -> String {
        try transaction { store in
            guard let kind = try store.connection.query("SELECT kind FROM models WHERE id = $1", [id]).first?
                .decode(String.self, "kind") else { throw StoreError("no model \(id)") }
            try store.connection.execute("UPDATE models SET active = false WHERE kind = $1 AND active", [kind])
            try store.connection.execute("UPDATE models SET active = true WHERE id = $1", [id])
            try store.audit(actor: actor, action: "model.activate", entityType: "model", entityID: id.uuidString,
                            details: "{\"kind\": \"\(kind)\"}")
            return kind
        }
    }

    /// The registry, newest first; one kind when given.
    public func models(kind: String? = nil) throws -> [ModelSummary] {
        try connection.query(
            """
            SELECT id, name, kind, version, active, parameters::text AS parameters, metrics::text AS metrics,
                   training::text AS training, created_by, created_at
            FROM models WHERE $1::text IS NULL OR kind = $1 ORDER BY created_at DESC, name, version DESC
            """, [kind]).map { r in
            ModelSummary(id: try r.decode(UUID.self, "id"), name: try r.decode(String.self, "name"),
                         kind: try r.decode(String.self, "kind"), version: try r.decode(Int.self, "version"),
                         active: try r.decode(Bool.self, "active"), parameters: try r.decode(String.self, "parameters"),
                         metrics: try r.decode(String.self, "metrics"), training: try r.decode(String.self, "training"),
                         createdBy: try r.decodeIfPresent(String.self, "created_by"),
                         createdAt: try r.decode(Date.self, "created_at"))
        }
    }

    /// One model's artifact by id.
    public func model(id: UUID) throws -> ModelRecord? {
        try connection.query(
            """
            SELECT id, name, kind, version, parameters::text AS parameters, metrics::text AS metrics, artifact
            FROM models WHERE id = $1
            """, [id]).first.map { r in
            ModelRecord(id: try r.decode(UUID.self, "id"), name: try r.decode(String.self, "name"),
                        kind: try r.decode(String.self, "kind"), version: try r.decode(Int.self, "version"),
                        parameters: try r.decode(String.self, "parameters"), metrics: try r.decode(String.self, "metrics"),
                        artifact: try r.decodeIfPresent(Data.self, "artifact") ?? Data())
        }
    }

    /// Records an operator's label of a candidate in `validation_events`
    /// and `audit_log`; throws when the candidate does not exist.
    public func labelCandidate(_ id: UUID, label: String, actor: String, note: String?) throws {
        try transaction { store in
            guard try !store.connection.query("SELECT 1 FROM candidates WHERE id = $1", [id]).isEmpty else {
                throw StoreError("no candidate \(id)")
            }
            try store.connection.execute(
                """
                INSERT INTO validation_events (subject_type, subject_id, event, label, actor, note)
                VALUES ('candidate', $1, 'label', $2, $3, $4)
                """, [id, label, actor, note])
            try store.audit(actor: actor, action: "candidate.label", entityType: "candidate", entityID: id.uuidString,
                            details: "{\"label\": \"\(label)\"}")
        }
    }

    /// Each labelled candidate's newest label.
    public func candidateLabels() throws -> [CandidateLabel] {
        try connection.query(
            """
            SELECT DISTINCT ON (subject_id) subject_id, label, actor, created_at
            FROM validation_events WHERE subject_type = 'candidate' AND event = 'label' AND label IS NOT NULL
            ORDER BY subject_id, created_at DESC
            """).map { r in
            CandidateLabel(candidateID: try r.decode(UUID.self, "subject_id"), label: try r.decode(String.self, "label"),
                           actor: try r.decode(String.self, "actor"), at: try r.decode(Date.self, "created_at"))
        }
    }

    /// Appends to `audit_log`; `details` is a JSON object.
    public func audit(actor: String, action: String, entityType: String, entityID: String?, details: String = "{}") throws {
        try connection.execute(
            "INSERT INTO audit_log (actor, action, entity_type, entity_id, details) VALUES ($1, $2, $3, $4, $5::jsonb)",
            [actor, action, entityType, entityID, details])
    }

    /// Coordinates a model gave to candidates, with whether each is an
    /// anomaly (and its severity): one run's, or all runs' when nil.
    public func embeddedPoints(modelID: UUID, runID: UUID?) throws -> [(candidate: UUID, coords: [Double], severity: String?)] {
        try connection.query(
            """
            SELECT e.candidate_id, e.coords::text AS coords, a.severity
            FROM embeddings e LEFT JOIN anomalies a ON a.candidate_id = e.candidate_id
            WHERE e.model_id = $1 AND ($2::uuid IS NULL OR e.run_id = $2) ORDER BY e.candidate_id
            """, [modelID, runID]).map { r in
            let text = try r.decode(String.self, "coords").trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
            return (try r.decode(UUID.self, "candidate_id"), text.split(separator: ",").compactMap { Double($0) },
                    try r.decodeIfPresent(String.self, "severity"))
        }
    }
}

extension PipelineStore {
    /// The first `count` observations of a run by DATE-OBS (all of them
    /// when it has fewer), and whether every one is past extraction (or
    /// failed): the baseline a first embedding map is fitted on.
    public func firstObservations(runID: UUID, count: Int) throws -> (ids: [UUID], extracted: Bool) {
        let rows = try connection.query(
            """
            SELECT p.observation_id, p.status FROM observation_progress p JOIN observations o ON o.id = p.observation_id
            WHERE p.run_id = $1 ORDER BY o.date_obs, o.id LIMIT $2
            """, [runID, count])
        let done: Set = ["extracted", "embedded", "scored", "alerted", "failed"]
        let statuses = try rows.map { try $0.decode(String.self, "status") }
        return (try rows.map { try $0.decode(UUID.self, "observation_id") }, statuses.allSatisfy(done.contains))
    }

    /// Candidates of some observations of a run, with their difference
    /// stamps, in DATE-OBS then index order.
    public func candidates(runID: UUID, observationIDs: [UUID]) throws -> [CandidateRecord] {
        try connection.query(
            """
            SELECT c.id, c.candidate_index, c.x, c.y, c.ra, c.dec, c.flux, c.flux_err, c.snr, c.mag, c.mag_err, c.fwhm,
                   c.elong, c.ellipticity, c.theta_deg, c.scorr, c.is_positive, c.flags, c.nneg, c.nbad, c.sumrat,
                   c.magdiff, c.dipole, c.distnr, c.magnr, c.features::text AS features, c.stamp_size,
                   NULL::bytea AS stamp_science, NULL::bytea AS stamp_reference, c.stamp_difference
            FROM candidates c JOIN observations o ON o.id = c.observation_id
            WHERE c.run_id = $1 AND c.observation_id = ANY($2::uuid[])
            ORDER BY o.date_obs, o.id, c.candidate_index
            """, [runID, "{" + observationIDs.map(\.uuidString).joined(separator: ",") + "}"]).map(Self.decodeCandidate)
    }
}

extension PipelineStore {
    /// Observations of the run taken before this one (DATE-OBS, then id)
    /// that are not yet alerted or failed: what an in-order alert stage waits for.
    public func earlierUnfinished(runID: UUID, observationID: UUID) throws -> Int {
        try connection.query(
            """
            SELECT count(*) AS n FROM observation_progress p JOIN observations o ON o.id = p.observation_id,
                   observations me
            WHERE p.run_id = $1 AND me.id = $2 AND (o.date_obs, o.id) < (me.date_obs, me.id)
              AND p.status NOT IN ('alerted', 'failed')
            """, [runID, observationID])[0].decode(Int.self, "n")
    }
}
