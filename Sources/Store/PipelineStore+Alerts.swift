import Database
import Foundation

/// An alert as the alert stage raises it.
public struct AlertRecord: Sendable {
    public var id: UUID
    public var ruleID: UUID
    public var observationID: UUID
    public var candidateID: UUID
    public var detectionID: UUID?
    public var anomalyID: UUID
    /// For data-quality alerts, which have no candidate, anomaly or position.
    public var candidateIDOptional: UUID?, anomalyIDOptional: UUID?, raOptional: Double?, decOptional: Double?
    /// Same source, same place, same rule → same key → one alert.
    public var dedupKey: String
    public var groupKey: String
    public var severity: String
    public var ra: Double, dec: Double
    public var title: String
    /// JSON text: the alert as published.
    public var payload: String

    public init(id: UUID, ruleID: UUID, observationID: UUID, candidateID: UUID, detectionID: UUID?, anomalyID: UUID,
                dedupKey: String, groupKey: String, severity: String, ra: Double, dec: Double, title: String, payload: String) {
        self.id = id; self.ruleID = ruleID; self.observationID = observationID; self.candidateID = candidateID
        self.detectionID = detectionID; self.anomalyID = anomalyID; self.dedupKey = dedupKey; self.groupKey = groupKey
        self.severity = severity; self.ra = ra; self.dec = dec; self.title = title; self.payload = payload
        candidateIDOptional = candidateID; anomalyIDOptional = anomalyID; raOptional = ra; decOptional = dec
    }

    /// A data-quality alert: an observation, no candidate.
    public init(id: UUID, ruleID: UUID, observationID: UUID, dedupKey: String, groupKey: String, severity: String,
                title: String, payload: String) {
        self.init(id: id, ruleID: ruleID, observationID: observationID, candidateID: UUID(), detectionID: nil,
                  anomalyID: UUID(), dedupKey: dedupKey, groupKey: groupKey, severity: severity, ra: 0, dec: 0,
                  title: title, payload: payload)
        candidateIDOptional = nil; anomalyIDOptional = nil; raOptional = nil; decOptional = nil
    }
}

extension PipelineStore {
    /// The active version of rule `name`, created as version 1 from the
    /// given definition when the rule does not exist yet.
    ///
    /// - Returns: the rule's id and version.
    public func ensureRule(name: String, description: String, severity: String, condition: String,
                           source: String) throws -> (id: UUID, version: Int) {
        try connection.execute(
            """
            INSERT INTO alert_rules (name, version, description, severity, condition, active, source, created_by)
            SELECT $1, 1, $2, $3, $4::jsonb, true, $5, 'nocturne-alert'
            WHERE NOT EXISTS (SELECT 1 FROM alert_rules WHERE name = $1)
            ON CONFLICT DO NOTHING
            """, [name, description, severity, condition, source])
        guard let row = try connection.query(
            "SELECT id, version FROM alert_rules WHERE name = $1 AND active", [name]).first else {
            throw StoreError("alert rule '\(name)' exists but no version of it is active")
        }
        return (try row.decode(UUID.self, "id"), try row.decode(Int.self, "version"))
    }

    /// Writes an alert unless one with its (run, rule, dedup key) exists.
    ///
    /// - Returns: true if this call raised it.
    @discardableResult
    public func raiseAlert(_ a: AlertRecord, runID: UUID) throws -> Bool {
        try connection.execute(
            """
            INSERT INTO alerts (id, run_id, rule_id, kind, observation_id, candidate_id, detection_id, anomaly_id, dedup_key,
                                group_key, severity, ra, dec, title, payload)
            VALUES ($1, $2, $3, 'candidate', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)
            ON CONFLICT (run_id, rule_id, dedup_key) DO NOTHING
            """, [a.id, runID, a.ruleID, a.observationID, a.candidateID, a.detectionID, a.anomalyID, a.dedupKey,
                  a.groupKey, a.severity, a.ra, a.dec, a.title, a.payload]) == 1
    }
}

/// A store-level inconsistency, with a message naming what is wrong.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
