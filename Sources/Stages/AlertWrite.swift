import Alerting
import Foundation
import StageRuntime
import Store

/// What rules are evaluated on: each scored candidate, and the observation
/// itself (a data-quality subject with its candidate count).
enum AlertSubjects {
    static func make(item: WorkItem, observation o: AlertContext, scored: [ScoredCandidate])
        -> [(AlertSubject, ScoredCandidate?)] {
        let run = item.runID.uuidString.lowercased(), obs = item.observationID.uuidString.lowercased()
        var subjects: [(AlertSubject, ScoredCandidate?)] = [(AlertSubject(
            kind: .dataQuality, observationID: obs, runID: run, time: o.dateObs, survey: o.survey, field: o.field,
            filter: o.filter, candidateCount: o.candidateCount, reason: "\(o.candidateCount) candidates"), nil)]
        for c in scored {
            subjects.append((AlertSubject(
                kind: .candidate, candidateID: c.candidateID.uuidString.lowercased(), observationID: obs, runID: run,
                time: o.dateObs, ra: c.ra, dec: c.dec, severity: c.severity, type: c.type, confidence: c.confidence,
                snr: c.snr, mag: c.mag, ratio: c.ratio, distance: c.distance, threshold: c.threshold,
                isAnomaly: c.anomalyID != nil, isDetection: c.detectionID != nil, survey: o.survey, field: o.field,
                filter: o.filter, candidateCount: o.candidateCount), c))
        }
        return subjects
    }
}

/// One routing decision to write.
struct AlertWrite {
    var decision: RouteDecision
    var rule: ActiveRule
    var subject: AlertSubject
    var candidate: ScoredCandidate?
    var count: Int
    var severity: String

    var key: AlertKey { decision.key }
    var kind: String { subject.kind == .dataQuality ? "data_quality" : "candidate" }
    var isNew: Bool { if case .new = decision { true } else { false } }
    var isNewCandidate: Bool { isNew && candidate != nil }
    /// The silence id or inhibiting alert's dedup key.
    var suppression: String? {
        switch decision {
        case .silenced(_, let by), .inhibited(_, let by): by
        default: nil
        }
    }
    var suppressionKind: String? {
        switch decision {
        case .silenced: "silenced"
        case .inhibited: "inhibited"
        default: nil
        }
    }

    /// The alert's stable id: run, rule version and dedup key.
    static func id(run: UUID, ruleID: UUID, dedupKey: String) -> UUID {
        StableID.make("alert/\(run.uuidString.lowercased())/\(ruleID.uuidString.lowercased())/\(dedupKey)")
    }

    func record(item: WorkItem, observation: AlertContext, stamps: [UUID: CandidateRecord], timestamps: [[String: Any]],
                latency: Double?) -> Store.AlertRecord {
        let id = Self.id(run: item.runID, ruleID: rule.id, dedupKey: key.dedupKey)
        guard let c = candidate else {
            let payload = AlertPayload.dataQuality(id: id, key: key, rule: rule, severity: severity, context: observation,
                                                   runID: item.runID)
            return Store.AlertRecord(id: id, ruleID: rule.id, observationID: item.observationID, dedupKey: key.dedupKey,
                                     groupKey: key.groupKey, severity: severity,
                                     title: payload["title"] as? String ?? "data quality", payload: JSONText.encode(payload))
        }
        let payload = AlertPayload.candidate(
            id: id, key: key, rule: rule, severity: severity, c: c, context: observation, runID: item.runID,
            stamps: isNew ? AlertStamps.encoded(stamps[c.candidateID]) : nil, timestamps: timestamps, latency: latency)
        var record = Store.AlertRecord(
            id: id, ruleID: rule.id, observationID: item.observationID, candidateID: c.candidateID, detectionID: c.detectionID,
            anomalyID: c.anomalyID ?? UUID(), dedupKey: key.dedupKey, groupKey: key.groupKey, severity: severity,
            ra: c.ra, dec: c.dec, title: AlertPayload.title(severity: severity, c: c, context: observation),
            payload: JSONText.encode(payload))
        record.anomalyIDOptional = c.anomalyID
        return record
    }
}
