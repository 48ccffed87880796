import Database
import Foundation

/// One science observation of a run, with what the morning-after report
/// shows about it.
public struct ReportObservation: Sendable {
    public var id: UUID
    public var key: String
    /// `observations.field`, `-` when unset.
    public var field: String
    public var filter: String?
    public var dateObs: Date
    public var airmass: Double?
    /// Arcsec per pixel, from the header.
    public var pixelScale: Double?
    /// Where the item stands in the run (`alerted` when it went all the way).
    public var status: String
    public var failedStage: String?, error: String?
    /// When ingest saw the file, and when the alert stage finished it.
    public var landedAt: Date, finishedAt: Date?
    /// Seeing FWHM of the science image, pixels.
    public var seeingPixels: Double?
    /// Rms of the star match after refinement, arcsec (pixels when the
    /// arcsec figure is missing, times the pixel scale).
    public var astrometricRMSArcsec: Double?
    public var matchedStars: Int?
    /// 5σ point-source depth of the difference, mag; nil without a zero point.
    public var limitingMagnitude: Double?
    /// 1σ point-source flux error of the difference, reference flux units.
    public var pointFluxError: Double?
    public var candidates: Int, detections: Int, anomalies: Int, alerts: Int

    /// Seeing in arcsec when the pixel scale is known.
    public var seeingArcsec: Double? { seeingPixels.flatMap { s in pixelScale.map { s * $0 } } }
}

/// One alert of a run with its lifecycle.
public struct ReportAlert: Sendable {
    public var id: UUID
    public var title: String
    public var kind: String, severity: String, state: String
    public var rule: String, ruleVersion: Int
    public var count: Int
    public var firstSeen: Date, lastSeen: Date
    public var acknowledgedBy: String?, acknowledgedAt: Date?, ackNote: String?
    public var resolvedBy: String?, resolvedAt: Date?
    public var suppression: String?, suppressedBy: String?
    public var observationKey: String?
    public var ra: Double?, dec: Double?
    /// Seconds from its observation's file landing to the alert's row.
    public var latencySeconds: Double?
    /// The stamps (science, reference, difference) as one PNG, base64.
    public var stampsPNG: String?
    /// Every lifecycle action from `audit_log`, oldest first.
    public var events: [(at: Date, actor: String, action: String)]
    /// Per channel and target: the latest notification's status and attempts.
    public var deliveries: [(channel: String, target: String, status: String, attempts: Int, error: String?)]
}

/// A file ingest set aside, and why.
public struct ReportQuarantine: Sendable {
    public var path: String, reason: String
    public var seenAt: Date
}

extension PipelineStore {
    /// `night` (YYYY-MM-DD, the evening's UTC date of DATE-OBS − 12 h) as SQL
    /// over `observations o`.
    static let nightCondition = "((o.date_obs AT TIME ZONE 'UTC') - interval '12 hours')::date"

    /// Runs that processed observations of `night`, newest first.
    public func runs(night: String) throws -> [RunRecord] {
        try connection.query(
            """
            SELECT \(Self.runColumns)
            FROM runs r WHERE EXISTS (
                SELECT 1 FROM observation_progress p JOIN observations o ON o.id = p.observation_id
                WHERE p.run_id = r.id AND \(Self.nightCondition) = $1::date)
            ORDER BY r.started_at DESC, r.id
            """, [night]).map(Self.decodeRun)
    }

    /// The nights (`YYYY-MM-DD`) whose observations `runID` processed, latest first.
    public func nights(runID: UUID) throws -> [String] {
        try connection.query(
            """
            SELECT DISTINCT \(Self.nightCondition)::text AS night
            FROM observation_progress p JOIN observations o ON o.id = p.observation_id
            WHERE p.run_id = $1 AND o.role = 'science' ORDER BY 1 DESC
            """, [runID]).map { try $0.decode(String.self, "night") }
    }

    /// The newest run that processed any observation, or nil.
    public func newestRunWithObservations() throws -> RunRecord? {
        try connection.query(
            """
            SELECT \(Self.runColumns)
            FROM runs r WHERE EXISTS (SELECT 1 FROM observation_progress p WHERE p.run_id = r.id)
            ORDER BY r.started_at DESC, r.id LIMIT 1
            """).first.map(Self.decodeRun)
    }

    /// The run's science observations of `night`, by field then DATE-OBS.
    public func reportObservations(runID: UUID, night: String) throws -> [ReportObservation] {
        try connection.query(
            """
            SELECT o.id, o.observation_key, coalesce(o.field, '-') AS field, o.filter, o.date_obs, o.airmass, o.pixel_scale,
                   p.status, p.failed_stage, p.error, p.landed_at,
                   CASE WHEN p.status = 'alerted' THEN p.updated_at END AS finished_at,
                   pr.seeing_fwhm_px, pr.n_matched,
                   coalesce((pr.parameters->>'astrometric_rms_arcsec')::float8, pr.astrometric_rms_px * o.pixel_scale) AS rms,
                   (dr.parameters->>'limiting_mag_5sigma')::float8 AS depth,
                   (dr.parameters->>'point_flux_error')::float8 AS flux_error,
                   (SELECT count(*) FROM candidates c WHERE c.run_id = $1 AND c.observation_id = o.id) AS candidates,
                   (SELECT count(*) FROM detections d WHERE d.run_id = $1 AND d.observation_id = o.id) AS detections,
                   (SELECT count(*) FROM anomalies a WHERE a.run_id = $1 AND a.observation_id = o.id) AS anomalies,
                   (SELECT count(*) FROM alerts l WHERE l.run_id = $1 AND l.observation_id = o.id) AS alerts
            FROM observation_progress p JOIN observations o ON o.id = p.observation_id
            LEFT JOIN preprocess_runs pr ON pr.run_id = p.run_id AND pr.observation_id = o.id
            LEFT JOIN difference_runs dr ON dr.run_id = p.run_id AND dr.observation_id = o.id
            WHERE p.run_id = $1 AND o.role = 'science' AND \(Self.nightCondition) = $2::date
            ORDER BY 3, o.date_obs, o.observation_key
            """, [runID, night]).map { r in
            ReportObservation(
                id: try r.decode(UUID.self, "id"), key: try r.decode(String.self, "observation_key"),
                field: try r.decode(String.self, "field"), filter: try r.decodeIfPresent(String.self, "filter"),
                dateObs: try r.decode(Date.self, "date_obs"), airmass: try r.decodeIfPresent(Double.self, "airmass"),
                pixelScale: try r.decodeIfPresent(Double.self, "pixel_scale"), status: try r.decode(String.self, "status"),
                failedStage: try r.decodeIfPresent(String.self, "failed_stage"), error: try r.decodeIfPresent(String.self, "error"),
                landedAt: try r.decode(Date.self, "landed_at"), finishedAt: try r.decodeIfPresent(Date.self, "finished_at"),
                seeingPixels: try r.decodeIfPresent(Double.self, "seeing_fwhm_px"),
                astrometricRMSArcsec: try r.decodeIfPresent(Double.self, "rms"),
                matchedStars: try r.decodeIfPresent(Int.self, "n_matched"),
                limitingMagnitude: try r.decodeIfPresent(Double.self, "depth"),
                pointFluxError: try r.decodeIfPresent(Double.self, "flux_error"),
                candidates: try r.decode(Int.self, "candidates"), detections: try r.decode(Int.self, "detections"),
                anomalies: try r.decode(Int.self, "anomalies"), alerts: try r.decode(Int.self, "alerts"))
        }
    }

    /// The run's alerts on observations of `night` (and its alerts with no
    /// observation), most severe first, with their lifecycle and deliveries.
    public func reportAlerts(runID: UUID, night: String) throws -> [ReportAlert] {
        var alerts = try connection.query(
            """
            SELECT a.id, a.title, a.kind, a.severity, a.state, r.name AS rule, r.version, a.count, a.first_seen_at,
                   a.last_seen_at, a.acknowledged_by, a.acknowledged_at, a.ack_note, a.resolved_by, a.resolved_at,
                   a.suppression, a.suppressed_by, o.observation_key, a.ra, a.dec,
                   extract(epoch FROM a.created_at - p.landed_at)::float8 AS latency, a.payload->'stamps'->>'png' AS png
            FROM alerts a JOIN alert_rules r ON r.id = a.rule_id LEFT JOIN observations o ON o.id = a.observation_id
            LEFT JOIN observation_progress p ON p.run_id = a.run_id AND p.observation_id = a.observation_id
            WHERE a.run_id = $1 AND (o.id IS NULL OR \(Self.nightCondition) = $2::date)
            ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], a.severity), a.first_seen_at, a.id
            """, [runID, night]).map { r in
            ReportAlert(
                id: try r.decode(UUID.self, "id"), title: try r.decode(String.self, "title"),
                kind: try r.decode(String.self, "kind"), severity: try r.decode(String.self, "severity"),
                state: try r.decode(String.self, "state"), rule: try r.decode(String.self, "rule"),
                ruleVersion: try r.decode(Int.self, "version"), count: try r.decode(Int.self, "count"),
                firstSeen: try r.decode(Date.self, "first_seen_at"), lastSeen: try r.decode(Date.self, "last_seen_at"),
                acknowledgedBy: try r.decodeIfPresent(String.self, "acknowledged_by"),
                acknowledgedAt: try r.decodeIfPresent(Date.self, "acknowledged_at"),
                ackNote: try r.decodeIfPresent(String.self, "ack_note"),
                resolvedBy: try r.decodeIfPresent(String.self, "resolved_by"),
                resolvedAt: try r.decodeIfPresent(Date.self, "resolved_at"),
                suppression: try r.decodeIfPresent(String.self, "suppression"),
                suppressedBy: try r.decodeIfPresent(String.self, "suppressed_by"),
                observationKey: try r.decodeIfPresent(String.self, "observation_key"),
                ra: try r.decodeIfPresent(Double.self, "ra"), dec: try r.decodeIfPresent(Double.self, "dec"),
                latencySeconds: try r.decodeIfPresent(Double.self, "latency"),
                stampsPNG: try r.decodeIfPresent(String.self, "png"), events: [], deliveries: [])
        }
        let index = Dictionary(uniqueKeysWithValues: alerts.enumerated().map { ($1.id, $0) })
        for r in try connection.query(
            """
            SELECT a.id, l.at, l.actor, l.action FROM audit_log l JOIN alerts a ON l.entity_id = a.id::text
            WHERE l.entity_type = 'alert' AND a.run_id = $1 ORDER BY l.at, l.id
            """, [runID]) {
            guard let i = index[try r.decode(UUID.self, "id")] else { continue }
            alerts[i].events.append((try r.decode(Date.self, "at"), try r.decode(String.self, "actor"), try r.decode(String.self, "action")))
        }
        for r in try connection.query(
            """
            SELECT DISTINCT ON (d.alert_id, d.channel, d.target) d.alert_id, d.channel, d.target, d.status, d.attempts, d.last_error
            FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.run_id = $1
            ORDER BY d.alert_id, d.channel, d.target, d.notification DESC
            """, [runID]) {
            guard let i = index[try r.decode(UUID.self, "alert_id")] else { continue }
            alerts[i].deliveries.append((try r.decode(String.self, "channel"), try r.decode(String.self, "target"),
                                         try r.decode(String.self, "status"), try r.decode(Int.self, "attempts"),
                                         try r.decodeIfPresent(String.self, "last_error")))
        }
        return alerts
    }

    /// Files the run's ingest quarantined, with the reason, oldest first.
    public func quarantinedFiles(runID: UUID) throws -> [ReportQuarantine] {
        try connection.query(
            """
            SELECT path, reason, first_seen_at FROM ingest_files WHERE run_id = $1 AND status = 'quarantined'
            ORDER BY first_seen_at, path
            """, [runID]).map { r in
            ReportQuarantine(path: try r.decode(String.self, "path"), reason: try r.decode(String.self, "reason"),
                             seenAt: try r.decode(Date.self, "first_seen_at"))
        }
    }

    /// The embedding model most of the run's candidates were placed by.
    public func mainEmbeddingModel(runID: UUID) throws -> UUID? {
        try connection.query(
            "SELECT model_id FROM embeddings WHERE run_id = $1 GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT 1",
            [runID]).first?.decode(UUID.self, "model_id")
    }
}
