import Foundation

/// Identifies an alert.
///
/// - `dedupKey` is the alert's identity, stable across processes because it
///   is derived from the first subject only:
///   `rule:<name>:pos:<ra>:<dec>` for candidates with a position (RA in
///   [0, 360) and signed Dec, both rounded to 1e-6° ≈ 0.004″, six decimals),
///   `rule:<name>:obs:<observation id>` for data-quality alerts,
///   `rule:<name>:cand:<candidate id>` for candidates without a position.
///   A rule firing again at a place whose alert was resolved gets the same key.
/// - `groupKey` is `rule=<name>` followed by `|<label>=<value>` for each
///   `group_by` label in alphabetical order (values percent-escape `%|=`).
public struct AlertKey: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    /// The rule that raised the alert.
    public let rule: String
    /// The alert's identity (see the type's documentation).
    public let dedupKey: String
    /// The notification group the alert belongs to.
    public let groupKey: String

    /// Makes a key (normally the router does).
    public init(rule: String, dedupKey: String, groupKey: String) {
        self.rule = rule
        self.dedupKey = dedupKey
        self.groupKey = groupKey
    }

    /// Orders by dedup key (unique per live alert).
    public static func < (a: AlertKey, b: AlertKey) -> Bool { (a.dedupKey, a.groupKey) < (b.dedupKey, b.groupKey) }

    /// The dedup key.
    public var description: String { dedupKey }
}

/// What the router did with a subject that matched a rule.
public enum RouteDecision: Sendable, Equatable {
    /// A new alert was raised.
    case new(AlertKey)
    /// The subject joined an existing alert (same rule, within the dedup
    /// radius, or the same observation for data quality); `count` is the
    /// alert's subject count now.
    case duplicate(AlertKey, count: Int)
    /// A silence (by id) holds the subject; the alert exists but does not notify for it.
    case silenced(AlertKey, by: String)
    /// An active data-quality alert (by dedup key) on the subject's observation holds it.
    case inhibited(AlertKey, by: String)

    /// The alert the subject went to.
    public var key: AlertKey {
        switch self {
        case .new(let k), .duplicate(let k, _), .silenced(let k, _), .inhibited(let k, _): k
        }
    }
}

/// Why an alert is held back.
public enum Suppression: Sendable, Codable, Equatable {
    /// By the silence with this id.
    case silenced(String)
    /// By the data-quality alert with this dedup key.
    case inhibited(String)
}

/// An unresolved alert as the router keeps it. Times named `…Seen` are the
/// router's clock (`now`); times named `…Observed` are subjects' DATE-OBS.
public struct AlertRecord: Sendable, Codable, Equatable {
    /// Identity and group.
    public let key: AlertKey
    /// Candidate or data-quality alert.
    public let kind: SubjectKind
    /// The first subject's observation.
    public let observationID: String
    /// The alert's severity (the rule's, or the first subject's with `from_anomaly`).
    public let severity: AlertSeverity
    /// The first subject's position, degrees.
    public let ra: Double?
    /// The first subject's position, degrees.
    public let dec: Double?
    /// Values by matcher name (empty values omitted) of the latest subject
    /// that was not held (of the first subject while all were held), with
    /// `severity` the alert's; what silences match at send time.
    public internal(set) var labels: [String: String]
    /// Subjects received for this alert, held ones included.
    public internal(set) var count: Int
    /// Of ``count``, how many were silenced or inhibited.
    public internal(set) var suppressedCount: Int
    /// Router time of the first subject.
    public let firstSeen: Date
    /// Router time of the latest subject.
    public internal(set) var lastSeen: Date
    /// DATE-OBS of the first subject.
    public let firstObserved: Date
    /// Latest DATE-OBS among its subjects.
    public internal(set) var lastObserved: Date
    /// Set while every subject so far was held; such an alert never notifies.
    public internal(set) var suppression: Suppression?
    /// ``visibleCount`` when last notified; nil if never notified.
    public internal(set) var notifiedCount: Int?
    /// Seconds without subjects before the alert resolves itself (from the rule).
    public internal(set) var resolveAfter: TimeInterval?

    /// Subjects that were not held: what notifications report.
    public var visibleCount: Int { count - suppressedCount }
}

/// Notifications of a group that fell due.
public struct AlertNotification: Sendable, Codable, Equatable {
    /// Why it was sent.
    public enum Reason: String, Sendable, Codable {
        /// The group's first notification (after `group_wait`).
        case initial
        /// Alerts joined or counts grew (after `group_interval`).
        case changed
        /// Nothing changed; a reminder (after `repeat_interval`).
        case repeated
    }

    /// The group.
    public let groupKey: String
    /// The rule whose alerts these are.
    public let rule: String
    /// 1 for the group's first notification, then 2, 3, …
    public let number: Int
    /// Why now.
    public let reason: Reason
    /// Where to send it (the rule's channels).
    public let channels: [String]
    /// Router time it fell due at (the `now` of the `due` call).
    public let time: Date
    /// Alerts never notified before, sorted.
    public let newAlerts: [AlertKey]
    /// Alerts notified before whose count grew, sorted.
    public let updatedAlerts: [AlertKey]
    /// Every alert in the notification (active, not silenced or inhibited), sorted.
    public let activeAlerts: [AlertKey]
    /// The records of ``activeAlerts`` as they were when sent, same order.
    public let alerts: [AlertRecord]
}

/// A notification group: one rule's alerts sharing `group_by` values.
public struct AlertGroup: Sendable, Codable, Equatable {
    /// The group key (see ``AlertKey``).
    public let key: String
    /// The rule.
    public let rule: String
    /// Channels, from the rule as last received.
    public internal(set) var channels: [String]
    /// `group_wait`, seconds, from the rule as last received.
    public internal(set) var groupWait: TimeInterval
    /// `group_interval`, seconds, from the rule as last received.
    public internal(set) var groupInterval: TimeInterval
    /// `repeat_interval`, seconds, from the rule as last received.
    public internal(set) var repeatInterval: TimeInterval
    /// Router time the group got its first member.
    public let firstSeen: Date
    /// Router time of the last notification; nil before the first.
    public internal(set) var lastNotified: Date?
    /// Notifications sent so far.
    public internal(set) var notifications: Int
    /// Dedup keys of the member alerts (not held, not resolved), sorted.
    public internal(set) var members: [String]
}

/// Everything a ``Router`` knows, for persisting and restoring it. Arrays
/// are sorted by key, so equal states encode to equal JSON (with `.sortedKeys`).
public struct RouterState: Sendable, Codable, Equatable {
    /// Format version, 1.
    public var version: Int
    /// Unresolved alerts by dedup key.
    public var alerts: [AlertRecord]
    /// Groups by key.
    public var groups: [AlertGroup]
    /// Silences (expired ones too, for the record) by id.
    public var silences: [Silence]

    /// Makes a state.
    public init(version: Int = 1, alerts: [AlertRecord], groups: [AlertGroup], silences: [Silence]) {
        self.version = version
        self.alerts = alerts
        self.groups = groups
        self.silences = silences
    }
}
