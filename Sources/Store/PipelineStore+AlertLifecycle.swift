import Database
import Foundation

/// One alert as operators list and show it.
public struct AlertSummary: Sendable {
    public var id: UUID
    public var runID: UUID
    public var rule: String, ruleVersion: Int
    public var kind: String, severity: String, state: String
    public var suppression: String?
    public var title: String
    public var ra: Double?, dec: Double?
    public var count: Int
    public var firstSeen: Date, lastSeen: Date
    public var acknowledgedBy: String?, ackNote: String?, resolvedBy: String?
    /// JSON text, for `show`.
    public var payload: String
}

/// What `nocturne alerts list` filters on; nil means any.
public struct AlertFilter: Sendable {
    public var runID: UUID?
    /// `YYYY-MM-DD`, the evening's UTC date (DATE-OBS − 12 h of the observation).
    public var night: String?
    public var rule: String?
    public var state: String?
    /// A cone: degrees, degrees, arcseconds.
    public var cone: (ra: Double, dec: Double, radiusArcsec: Double)?
    public var limit = 100
    public init() {}
}

extension PipelineStore {
    /// Alerts matching the filter, newest first.
    public func alerts(_ f: AlertFilter) throws -> [AlertSummary] {
        try connection.query(
            """
            SELECT a.id, a.run_id, r.name AS rule, r.version AS rule_version, a.kind, a.severity, a.state, a.suppression,
                   a.title, a.ra, a.dec, a.count, a.first_seen_at, a.last_seen_at, a.acknowledged_by, a.ack_note,
                   a.resolved_by, a.payload::text AS payload
            FROM alerts a JOIN alert_rules r ON r.id = a.rule_id LEFT JOIN observations o ON o.id = a.observation_id
            WHERE ($1::uuid IS NULL OR a.run_id = $1) AND ($2::text IS NULL OR r.name = $2)
              AND ($3::text IS NULL OR a.state = $3)
              AND ($4::date IS NULL OR ((o.date_obs AT TIME ZONE 'UTC') - interval '12 hours')::date = $4::date)
              AND ($5::float8 IS NULL OR (a.ra IS NOT NULL AND q3c_radial_query(a.ra, a.dec, $5, $6, $7 / 3600.0)))
            ORDER BY a.last_seen_at DESC, a.id LIMIT $8
            """, [f.runID, f.rule, f.state, f.night, f.cone?.ra, f.cone?.dec, f.cone?.radiusArcsec, f.limit])
            .map(Self.decodeAlert)
    }

    /// One alert by id (or by a unique prefix of its id, as people type them).
    public func alert(_ idOrPrefix: String) throws -> AlertSummary? {
        let rows = try connection.query(
            """
            SELECT a.id, a.run_id, r.name AS rule, r.version AS rule_version, a.kind, a.severity, a.state, a.suppression,
                   a.title, a.ra, a.dec, a.count, a.first_seen_at, a.last_seen_at, a.acknowledged_by, a.ack_note,
                   a.resolved_by, a.payload::text AS payload
            FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.id::text LIKE $1 || '%' LIMIT 2
            """, [idOrPrefix.lowercased()]).map(Self.decodeAlert)
        guard rows.count <= 1 else { throw StoreError("'\(idOrPrefix)' names more than one alert; give more of its id") }
        return rows.first
    }

    /// active → acknowledged, by whom and why; audited.
    public func acknowledgeAlert(_ id: UUID, by actor: String, note: String?) throws {
        try transition(id, to: "acknowledged", from: ["active"], actor: actor, note: note, sql: """
            UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = now(), ack_note = $3
            WHERE id = $1 AND state = 'active'
            """)
    }

    /// active or acknowledged → resolved; audited. Silences tied to it expire.
    public func resolveAlert(_ id: UUID, by actor: String, note: String?) throws {
        try transition(id, to: "resolved", from: ["active", "acknowledged"], actor: actor, note: note, sql: """
            UPDATE alerts SET state = 'resolved', resolved_by = $2, resolved_at = now(),
                   ack_note = coalesce($3, ack_note)
            WHERE id = $1 AND state IN ('active', 'acknowledged')
            """)
        try connection.execute(
            "UPDATE silences SET expired_at = now(), expired_by = $2 WHERE until_alert_id = $1 AND expired_at IS NULL",
            [id, "resolve of alert \(id.uuidString.lowercased())"])
    }

    /// Active alerts not seen for `seconds` become expired (audited as
    /// `actor`); returns how many.
    @discardableResult
    public func expireStaleAlerts(notSeenFor seconds: Double, actor: String) throws -> Int {
        try transaction { store in
            let ids = try store.connection.query(
                """
                UPDATE alerts SET state = 'expired', expires_at = now()
                WHERE state = 'active' AND last_seen_at < now() - make_interval(secs => $1::float8) RETURNING id
                """, [seconds]).map { try $0.decode(UUID.self, "id") }
            for id in ids {
                try store.audit(actor: actor, action: "alert.expired", entityType: "alert", entityID: id.uuidString.lowercased(),
                                details: JSONObject.text(["not_seen_for_seconds": "\(seconds)"]))
            }
            return ids.count
        }
    }

    private func transition(_ id: UUID, to state: String, from: [String], actor: String, note: String?, sql: String) throws {
        try transaction { store in
            guard let current = try store.connection.query("SELECT state FROM alerts WHERE id = $1", [id]).first?
                .decode(String.self, "state") else { throw StoreError("no alert \(id.uuidString.lowercased())") }
            guard from.contains(current) else {
                throw StoreError("alert \(id.uuidString.lowercased()) is \(current); only \(from.joined(separator: " or ")) alerts can be \(state)")
            }
            _ = try store.connection.execute(sql, [id, actor, note])
            try store.audit(actor: actor, action: "alert.\(state)", entityType: "alert", entityID: id.uuidString.lowercased(),
                            details: JSONObject.text(["from": current, "note": note ?? ""]))
        }
    }

    static func decodeAlert(_ r: DatabaseRow) throws -> AlertSummary {
        AlertSummary(
            id: try r.decode(UUID.self, "id"), runID: try r.decode(UUID.self, "run_id"), rule: try r.decode(String.self, "rule"),
            ruleVersion: try r.decode(Int.self, "rule_version"), kind: try r.decode(String.self, "kind"),
            severity: try r.decode(String.self, "severity"), state: try r.decode(String.self, "state"),
            suppression: try r.decodeIfPresent(String.self, "suppression"), title: try r.decode(String.self, "title"),
            ra: try r.decodeIfPresent(Double.self, "ra"), dec: try r.decodeIfPresent(Double.self, "dec"),
            count: try r.decode(Int.self, "count"), firstSeen: try r.decode(Date.self, "first_seen_at"),
            lastSeen: try r.decode(Date.self, "last_seen_at"), acknowledgedBy: try r.decodeIfPresent(String.self, "acknowledged_by"),
            ackNote: try r.decodeIfPresent(String.self, "ack_note"), resolvedBy: try r.decodeIfPresent(String.self, "resolved_by"),
            payload: try r.decode(String.self, "payload"))
    }
}

/// A flat JSON object from string values, for audit details.
enum JSONObject {
    static func text(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
