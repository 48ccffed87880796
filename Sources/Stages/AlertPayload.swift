import Alerting
import Envelopes
import Foundation
import Store

/// The alert as published and delivered: schema version 2, documented in
/// docs/alerts.md and docs/alert.schema.json.
enum AlertPayload {
    static let schemaVersion = 2

    /// A candidate alert's JSON object.
    static func candidate(id: UUID, key: AlertKey, rule: ActiveRule, severity: String, c: ScoredCandidate,
                          context: AlertContext, runID: UUID, stamps: [String: Any]?, timestamps: [[String: Any]],
                          latency: Double?) -> [String: Any] {
        func json(_ text: String) -> Any { (try? ExactJSON.object(from: text)) ?? NSNull() }
        var payload = common(id: id, key: key, rule: rule, severity: severity, kind: "candidate", context: context, runID: runID)
        payload["title"] = title(severity: severity, c: c, context: context)
        payload["candidate_id"] = c.candidateID.uuidString.lowercased()
        payload["ra"] = c.ra
        payload["dec"] = c.dec
        payload["candidate"] = ["snr": opt(c.snr), "mag": opt(c.mag)]
        if let d = c.detectionID {
            payload["detection_id"] = d.uuidString.lowercased()
            payload["detection"] = ["type": c.type ?? "unknown", "confidence": opt(c.confidence)]
        }
        if let a = c.anomalyID {
            payload["anomaly_id"] = a.uuidString.lowercased()
            payload["anomaly"] = [
                "severity": opt(c.severity), "score": opt(c.ratio), "distance": opt(c.distance),
                "threshold": opt(c.threshold), "feature_score": opt(c.featureScore),
                "feature_threshold": opt(c.featureThreshold),
            ]
        }
        payload["why"] = [
            "rule": ["name": rule.rule.name, "version": rule.version, "condition": json(rule.rule.conditionJSON)],
            "model_versions": json(c.modelVersions), "threshold": opt(c.threshold),
            "top_features": json(c.topFeatures), "analogs": c.analogs.map { $0.uuidString.lowercased() },
        ]
        if let stamps { payload["stamps"] = stamps }
        payload["timestamps"] = timestamps
        if let latency { payload["latency_seconds"] = latency }
        return payload
    }

    /// A data-quality alert's JSON object.
    static func dataQuality(id: UUID, key: AlertKey, rule: ActiveRule, severity: String, context: AlertContext,
                            runID: UUID) -> [String: Any] {
        var payload = common(id: id, key: key, rule: rule, severity: severity, kind: "data_quality", context: context,
                             runID: runID)
        let reason = "\(context.candidateCount) candidates in one observation: likely a bad subtraction; "
            + "its per-candidate alerts are held back"
        payload["title"] = "data quality: \(context.candidateCount) candidates in \(context.field ?? "unknown field")"
        payload["data_quality"] = ["candidate_count": context.candidateCount, "reason": reason]
        payload["why"] = ["rule": ["name": rule.rule.name, "version": rule.version,
                                   "condition": (try? ExactJSON.object(from: rule.rule.conditionJSON)) ?? NSNull()]]
        return payload
    }

    private static func common(id: UUID, key: AlertKey, rule: ActiveRule, severity: String, kind: String,
                               context: AlertContext, runID: UUID) -> [String: Any] {
        [
            "schema_version": schemaVersion, "alert_id": id.uuidString.lowercased(), "kind": kind,
            "rule": ["name": rule.rule.name, "version": rule.version], "severity": severity,
            "run_id": runID.uuidString.lowercased(), "observation_id": context.observationID.uuidString.lowercased(),
            "survey": opt(context.survey), "field": opt(context.field), "filter": opt(context.filter),
            "date_obs": ISO8601DateFormatter.withFractions.string(from: context.dateObs),
            "dedup_key": key.dedupKey, "group_key": key.groupKey,
        ]
    }

    /// A value or JSON null.
    static func opt<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

    static func title(severity: String, c: ScoredCandidate, context: AlertContext) -> String {
        "\(severity) \(c.type ?? (c.anomalyID != nil ? "anomaly" : "candidate")) in \(context.field ?? "unknown field") at "
            + String(format: "%.5f %+.5f", c.ra, c.dec)
    }
}
