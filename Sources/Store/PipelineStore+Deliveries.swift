import Database
import Foundation

/// A delivery waiting for its channel.
public struct PendingDelivery: Sendable {
    public var id: UUID
    public var alertID: UUID
    public var channel: String, target: String
    public var notification: Int
    public var attempts: Int
    /// JSON text.
    public var body: String
}

extension PipelineStore {
    /// The channel's deliveries whose next try is due, oldest first.
    public func dueDeliveries(channel: String, target: String, limit: Int = 20) throws -> [PendingDelivery] {
        try connection.query(
            """
            SELECT id, alert_id, channel, target, notification, attempts, body::text AS body FROM alert_deliveries
            WHERE status = 'pending' AND channel = $1 AND target = $2 AND next_attempt_at <= now()
            ORDER BY next_attempt_at, created_at, id LIMIT $3
            """, [channel, target, limit]).map { r in
            PendingDelivery(id: try r.decode(UUID.self, "id"), alertID: try r.decode(UUID.self, "alert_id"),
                            channel: try r.decode(String.self, "channel"), target: try r.decode(String.self, "target"),
                            notification: try r.decode(Int.self, "notification"), attempts: try r.decode(Int.self, "attempts"),
                            body: try r.decodeIfPresent(String.self, "body") ?? "{}")
        }
    }

    /// Records one try: `delivered`, `failed` (no more tries), or still
    /// `pending` with the next try after `retryAfter` seconds.
    public func recordDeliveryAttempt(_ id: UUID, status: String, error: String?, retryAfter: Double) throws {
        try connection.execute(
            """
            UPDATE alert_deliveries SET attempts = attempts + 1, last_attempt_at = now(), status = $2::text, last_error = $3,
                   delivered_at = CASE WHEN $2::text IN ('delivered', 'sent') THEN now() ELSE delivered_at END,
                   next_attempt_at = now() + make_interval(secs => $4::float8)
            WHERE id = $1
            """, [id, status, error, retryAfter])
    }
}

/// One candidate of an observation with what scoring said about it: what
/// alert rules are evaluated on.
public struct ScoredCandidate: Sendable {
    public var candidateID: UUID
    public var ra: Double, dec: Double
    public var snr: Double?, mag: Double?
    public var detectionID: UUID?, type: String?, confidence: Double?
    public var anomalyID: UUID?, severity: String?, ratio: Double?, distance: Double?, threshold: Double?
    public var featureScore: Double?, featureThreshold: Double?
    /// JSON texts (empty when not an anomaly).
    public var topFeatures: String, modelVersions: String
    public var analogs: [UUID]
}

/// The observation's context for alerts.
public struct AlertContext: Sendable {
    public var observationID: UUID
    public var dateObs: Date
    public var survey: String?, field: String?, filter: String?
    public var candidateCount: Int
}

extension PipelineStore {
    /// An observation's candidates with their detection and anomaly, in index order.
    public func scoredCandidates(runID: UUID, observationID: UUID) throws -> [ScoredCandidate] {
        try connection.query(
            """
            SELECT c.id, c.ra, c.dec, c.snr, c.mag, d.id AS detection_id, d.detection_type, d.confidence,
                   a.id AS anomaly_id, a.severity, a.score, a.embedding_distance, a.threshold, a.feature_score,
                   a.feature_threshold, coalesce(a.top_features::text, '[]') AS top_features,
                   coalesce(a.model_versions::text, '{}') AS model_versions,
                   coalesce(array_to_string(a.analogs, ','), '') AS analogs
            FROM candidates c LEFT JOIN detections d ON d.candidate_id = c.id LEFT JOIN anomalies a ON a.candidate_id = c.id
            WHERE c.run_id = $1 AND c.observation_id = $2 ORDER BY c.candidate_index
            """, [runID, observationID]).map { r in
            ScoredCandidate(
                candidateID: try r.decode(UUID.self, "id"), ra: try r.decode(Double.self, "ra"), dec: try r.decode(Double.self, "dec"),
                snr: try r.decodeIfPresent(Double.self, "snr"), mag: try r.decodeIfPresent(Double.self, "mag"),
                detectionID: try r.decodeIfPresent(UUID.self, "detection_id"), type: try r.decodeIfPresent(String.self, "detection_type"),
                confidence: try r.decodeIfPresent(Double.self, "confidence"), anomalyID: try r.decodeIfPresent(UUID.self, "anomaly_id"),
                severity: try r.decodeIfPresent(String.self, "severity"), ratio: try r.decodeIfPresent(Double.self, "score"),
                distance: try r.decodeIfPresent(Double.self, "embedding_distance"),
                threshold: try r.decodeIfPresent(Double.self, "threshold"),
                featureScore: try r.decodeIfPresent(Double.self, "feature_score"),
                featureThreshold: try r.decodeIfPresent(Double.self, "feature_threshold"),
                topFeatures: try r.decode(String.self, "top_features"), modelVersions: try r.decode(String.self, "model_versions"),
                analogs: try r.decode(String.self, "analogs").split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
    }

    /// The observation's survey, field, filter, DATE-OBS and candidate count in the run.
    public func alertContext(runID: UUID, observationID: UUID) throws -> AlertContext {
        let r = try connection.query(
            """
            SELECT o.date_obs, s.name AS survey, o.field, o.filter,
                   (SELECT count(*) FROM candidates c WHERE c.run_id = $1 AND c.observation_id = o.id) AS n
            FROM observations o LEFT JOIN surveys s ON s.id = o.survey_id WHERE o.id = $2
            """, [runID, observationID])
        guard let row = r.first else { throw StoreError("no observation \(observationID)") }
        return AlertContext(observationID: observationID, dateObs: try row.decode(Date.self, "date_obs"),
                            survey: try row.decodeIfPresent(String.self, "survey"), field: try row.decodeIfPresent(String.self, "field"),
                            filter: try row.decodeIfPresent(String.self, "filter"), candidateCount: try row.decode(Int.self, "n"))
    }

    /// Writes or updates an alert the router raised or joined: a new row,
    /// or the existing one's count, last-seen time and suppression.
    public func upsertAlert(_ a: AlertRecord, runID: UUID, kind: String, count: Int, suppression: String?,
                            suppressedBy: String?) throws {
        try connection.execute(
            """
            INSERT INTO alerts (id, run_id, rule_id, kind, observation_id, candidate_id, detection_id, anomaly_id, dedup_key,
                                group_key, severity, ra, dec, title, payload, count, suppression, suppressed_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18)
            ON CONFLICT (run_id, rule_id, dedup_key) DO UPDATE SET
                count = greatest(alerts.count, EXCLUDED.count), last_seen_at = now(),
                suppression = EXCLUDED.suppression, suppressed_by = EXCLUDED.suppressed_by
            """, [a.id, runID, a.ruleID, kind, a.observationID, a.candidateIDOptional, a.detectionID, a.anomalyIDOptional,
                  a.dedupKey, a.groupKey, a.severity, a.raOptional, a.decOptional, a.title, a.payload, count, suppression,
                  suppressedBy])
    }

    /// Queues an alert's notification on a channel with the alert's payload
    /// as body; a repeat queues nothing.
    @discardableResult
    public func queueNotification(alertID: UUID, channel: String, target: String, notification: Int, groupKey: String,
                                  reason: String, status: String = "pending") throws -> Bool {
        try connection.execute(
            """
            INSERT INTO alert_deliveries (alert_id, channel, target, notification, group_key, body, status, attempts,
                                          last_attempt_at, delivered_at)
            SELECT a.id, $2::text, $3::text, $4::int, $5::text,
                   jsonb_build_object('notification', $4::int, 'group_key', $5::text, 'reason', $6::text, 'alert',
                                      a.payload || jsonb_build_object('count', a.count, 'state', a.state)),
                   $7::text, CASE WHEN $7::text = 'pending' THEN 0 ELSE 1 END,
                   CASE WHEN $7::text = 'pending' THEN NULL ELSE now() END,
                   CASE WHEN $7::text = 'pending' THEN NULL ELSE now() END
            FROM alerts a WHERE a.id = $1
            ON CONFLICT (alert_id, channel, target, notification) DO NOTHING
            """, [alertID, channel, target, notification, groupKey, reason, status]) == 1
    }

    /// Saves the alert router's state for a run.
    public func saveRouterState(runID: UUID, state: String) throws {
        try connection.execute(
            """
            INSERT INTO alert_router_state (run_id, state) VALUES ($1, $2::jsonb)
            ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()
            """, [runID, state])
    }

    /// The alert router's saved state for a run, or nil.
    public func routerState(runID: UUID) throws -> String? {
        try connection.query("SELECT state::text AS s FROM alert_router_state WHERE run_id = $1", [runID]).first?
            .decode(String.self, "s")
    }

    /// Alerts of a run resolved (or expired) by operators: the router lets them go.
    public func closedAlertKeys(runID: UUID) throws -> [(rule: String, dedupKey: String, groupKey: String)] {
        try connection.query(
            """
            SELECT r.name, a.dedup_key, a.group_key FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
            WHERE a.run_id = $1 AND a.state IN ('resolved', 'expired') ORDER BY a.dedup_key
            """, [runID]).map { (try $0.decode(String.self, "name"), try $0.decode(String.self, "dedup_key"),
                                 try $0.decode(String.self, "group_key")) }
    }
}

extension PipelineStore {
    /// Rule name, dedup key and group key of alerts by id.
    public func alertIdentities(_ ids: [UUID]) throws -> [UUID: (rule: String, dedupKey: String, groupKey: String)] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: (rule: String, dedupKey: String, groupKey: String)] = [:]
        for r in try connection.query(
            """
            SELECT a.id, r.name, a.dedup_key, a.group_key FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
            WHERE a.id = ANY($1::uuid[])
            """, ["{" + ids.map(\.uuidString).joined(separator: ",") + "}"]) {
            out[try r.decode(UUID.self, "id")] = (try r.decode(String.self, "name"), try r.decode(String.self, "dedup_key"),
                                                  try r.decode(String.self, "group_key"))
        }
        return out
    }
}
