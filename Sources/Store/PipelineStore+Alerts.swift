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

/// A store-level inconsistency, with a message naming what is wrong.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
