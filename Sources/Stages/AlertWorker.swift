import Envelopes
import Foundation
import StageRuntime
import Store

/// `nocturne-alert`: raises an alert for each anomaly at or above the
/// configured severity, records it in `alerts`, and publishes it on the
/// stage's PUB socket (topic `alert.<severity>.<rule>`) after the commit.
///
/// First version: one rule (`alert.rule`, default `high-severity`), created
/// in `alert_rules` on first use. One alert per candidate and rule in a run:
/// a redelivered item raises nothing twice.
public final class AlertWorker: StageWorker {
    public let name = "alert"
    public let inputStatus = ProgressStatus.scored
    public let outputStatus = ProgressStatus.alerted
    let settings: AlertSettings

    public init(settings: AlertSettings) {
        self.settings = settings
    }

    /// The alert format's version, in every payload.
    public static let schemaVersion = 1

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let rule = try context.store.ensureRule(
            name: settings.rule, description: "an anomaly of severity \(settings.minimumSeverity) or above",
            severity: settings.minimumSeverity, condition: JSONText.encode(["severity_at_least": settings.minimumSeverity]),
            source: "config: alert.rule")
        let anomalies = try context.store.anomalies(runID: item.runID, observationID: item.observationID,
                                                    severities: settings.alerting)
        let stamps = anomalies.isEmpty ? [:] : Dictionary(
            uniqueKeysWithValues: try context.store.candidates(runID: item.runID, observationID: item.observationID,
                                                               stamps: .all).map { ($0.id, $0) })
        var alerts: [AlertRecord] = []
        var publications: [Publication] = []
        for anomaly in anomalies {
            let alert = Self.alert(anomaly, rule: (settings.rule, rule.id, rule.version), item: item)
            alerts.append(alert)
            var envelope = item.nextMessage(kind: .alert, payload: alert.payload,
                                                    ids: ["alert": alert.id.uuidString], frames: Self.stampFrames(stamps[anomaly.candidateID]))
            envelope.stamp(name, .sent)
            publications.append(Publication(topic: "alert.\(anomaly.severity).\(settings.rule)", envelope: envelope))
        }
        let (runID, raised) = (item.runID, alerts)
        return WorkResult(persist: { store in
            for alert in raised { try store.raiseAlert(alert, runID: runID) }
        }, downstream: [], counts: ["alerts": alerts.count], published: publications)
    }

    static func alert(_ a: StoredAnomaly, rule: (name: String, id: UUID, version: Int), item: WorkItem) -> AlertRecord {
        let id = StableID.make("alert/\(rule.id.uuidString.lowercased())/\(a.candidateID.uuidString.lowercased())")
        let landed = item.message?.timestamps.first { $0.event == .landed }?.at
        var payload: [String: Any] = [
            "schema_version": schemaVersion, "alert_id": id.uuidString.lowercased(),
            "rule": ["name": rule.name, "version": rule.version], "severity": a.severity,
            "observation_id": item.observationID.uuidString.lowercased(), "run_id": item.runID.uuidString.lowercased(),
            "candidate_id": a.candidateID.uuidString.lowercased(), "anomaly_id": a.id.uuidString.lowercased(),
            "ra": a.ra, "dec": a.dec, "field": a.field ?? NSNull(), "filter": a.filter ?? NSNull(),
            "date_obs": ISO8601DateFormatter().string(from: a.dateObs), "score": a.score, "threshold": a.threshold,
            "snr": a.snr ?? Double.nan, "mag": a.mag ?? Double.nan, "type": a.type ?? NSNull(),
            "confidence": a.confidence ?? Double.nan,
            "top_features": (try? JSONSerialization.jsonObject(with: Data(a.topFeatures.utf8))) ?? [],
        ]
        if let detection = a.detectionID { payload["detection_id"] = detection.uuidString.lowercased() }
        if let landed { payload["latency_seconds"] = Date().timeIntervalSince(landed) }
        if let trace = item.message?.traceID { payload["trace_id"] = trace.uuidString.lowercased() }
        if let stamps = item.message?.timestamps {
            payload["timestamps"] = stamps.map { ["stage": $0.stage, "event": $0.event.rawValue,
                                                  "at": ISO8601DateFormatter.withFractions.string(from: $0.at)] }
        }
        let title = "\(a.severity) anomaly (\(a.type ?? "candidate")) in \(a.field ?? "unknown field") at "
            + String(format: "%.5f %+.5f", a.ra, a.dec)
        return AlertRecord(id: id, ruleID: rule.id, observationID: item.observationID, candidateID: a.candidateID,
                           detectionID: a.detectionID, anomalyID: a.id, dedupKey: "candidate:\(a.candidateID.uuidString.lowercased())",
                           groupKey: a.field ?? "", severity: a.severity, ra: a.ra, dec: a.dec, title: title,
                           payload: JSONText.encode(payload))
    }

    /// The science, reference and difference stamps as float frames.
    static func stampFrames(_ c: CandidateRecord?) -> [Frame] {
        guard let c, c.stampSize > 0 else { return [] }
        let layout = Frame.Layout.float32(width: c.stampSize, height: c.stampSize)
        return [Frame(name: "stamp.science", layout: layout, data: c.stampScience),
                Frame(name: "stamp.reference", layout: layout, data: c.stampReference),
                Frame(name: "stamp.difference", layout: layout, data: c.stampDifference)]
    }
}

extension ISO8601DateFormatter {
    /// ISO 8601 with milliseconds.
    static var withFractions: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
