import Checksum
import Foundation

/// One validated alert rule: what to match (`when`, `repeat`), how to route
/// it (grouping, timing, dedup) and what to do (severity, channels).
///
/// Built only by ``RuleSet/parse(yaml:source:)``, so every rule in hand is
/// valid. The condition is compiled once; ``matches(_:history:)`` does no
/// name lookups. A class of constants, so passing a rule around costs one
/// reference count instead of copying a dozen strings.
public final class AlertRule: Sendable {
    /// Unique name, `[A-Za-z0-9_.-]+`.
    public let name: String
    /// Free text for operators.
    public let description: String
    /// The alert's severity: fixed, or the subject's anomaly severity.
    public let severity: RuleSeverity
    /// Disabled rules never match.
    public let enabled: Bool
    /// The `when` tree.
    public let condition: Condition
    /// The optional `repeat` requirement ("for").
    public let repeatSpec: RepeatSpec?
    /// Labels that split the rule's alerts into notification groups (sorted, unique).
    /// Groups never span rules: the rule name is always part of the group key.
    public let groupBy: [GroupLabel]
    /// Seconds from a group's first alert to its first notification.
    public let groupWait: TimeInterval
    /// Seconds between notifications of a group that changed.
    public let groupInterval: TimeInterval
    /// Seconds before an unchanged group with active alerts is notified again.
    public let repeatInterval: TimeInterval
    /// Same rule and a position within this many arcseconds → the same alert.
    public let dedupRadiusArcsec: Double
    /// Seconds without a new subject after which an alert resolves by itself; nil = never.
    public let resolveAfter: TimeInterval?
    /// Names of the channels notifications go to (configured elsewhere).
    public let channels: [String]
    /// Where the rule was read from (file name), for messages.
    public let source: String
    /// Canonical JSON of what decides a match: `{"repeat":…,"when":…}`.
    public let conditionJSON: String
    /// Canonical JSON of grouping, timing and dedup (durations in seconds).
    public let routingJSON: String
    /// Canonical JSON of the actions: `{"channels":[…],"severity":…}`.
    public let actionsJSON: String
    /// The whole rule as canonical JSON, defaults made explicit; valid rule YAML.
    public let canonicalJSON: String
    /// SHA-256 (hex) of ``canonicalJSON``: equal exactly when the rule's content is.
    public let fingerprint: String
    let compiled: CompiledCondition

    init(
        name: String, description: String, severity: RuleSeverity, enabled: Bool, condition: Condition,
        repeatSpec: RepeatSpec?, groupBy: [GroupLabel], timing: (wait: Double, interval: Double, repeat: Double),
        dedupRadiusArcsec: Double, resolveAfter: Double?, channels: [String], source: String
    ) {
        self.name = name
        self.description = description
        self.severity = severity
        self.enabled = enabled
        self.condition = condition
        self.repeatSpec = repeatSpec
        self.groupBy = groupBy
        (groupWait, groupInterval, repeatInterval) = timing
        self.dedupRadiusArcsec = dedupRadiusArcsec
        self.resolveAfter = resolveAfter
        self.channels = channels
        self.source = source
        compiled = condition.compiled()
        var cond: [String: JSONValue] = ["when": condition.json]
        if let r = repeatSpec { cond["repeat"] = r.json }
        var routing: [String: JSONValue] = [
            "group_by": .array(groupBy.map { .string($0.rawValue) }), "group_wait": .number(timing.wait),
            "group_interval": .number(timing.interval), "repeat_interval": .number(timing.repeat),
            "dedup_radius_arcsec": .number(dedupRadiusArcsec),
        ]
        if let r = resolveAfter { routing["resolve_after"] = .number(r) }
        let actions: [String: JSONValue] = [
            "severity": .string(severity.name), "channels": .array(channels.map { .string($0) }),
        ]
        conditionJSON = JSONValue.object(cond).rendered
        routingJSON = JSONValue.object(routing).rendered
        actionsJSON = JSONValue.object(actions).rendered
        var whole = cond.merging(routing) { a, _ in a }.merging(actions) { a, _ in a }
        whole["name"] = .string(name)
        whole["description"] = .string(description)
        whole["enabled"] = .bool(enabled)
        canonicalJSON = JSONValue.object(whole).rendered
        var digest = SHA256()
        digest.update(Array(canonicalJSON.utf8))
        fingerprint = digest.hexDigest()
    }

    /// Whether the subject matches: the rule is enabled, the `when` tree
    /// holds, and the `repeat` requirement (if any) is met.
    ///
    /// With `repeat`, a subject that satisfies `when` is first recorded in
    /// `history` (so it counts itself), then the matches of this rule within
    /// `radius_arcsec` and the window before `subject.time` are counted.
    /// A subject without a position cannot satisfy `repeat`.
    public func matches(_ subject: AlertSubject, history: any MatchHistory) -> Bool {
        matches(PreparedSubject(subject), history: history)
    }

    /// As ``matches(_:history:)`` for a subject prepared once for all rules (faster).
    public func matches(_ p: PreparedSubject, history: any MatchHistory) -> Bool {
        guard enabled, compiled.matches(p) else { return false }
        guard let r = repeatSpec else { return true }
        guard let ra = p.subject.ra, let dec = p.subject.dec, p.vector != nil else { return false }
        let t = p.subject.time
        history.record(rule: name, subjectID: p.subject.identity, ra: ra, dec: dec, time: t)
        let n = history.count(
            rule: name, ra: ra, dec: dec, radiusArcsec: r.radiusArcsec, since: t.addingTimeInterval(-r.window), until: t
        )
        return n >= r.count
    }

    /// The `when` tree alone: no `enabled`, no `repeat`, no history (previews, tests).
    public func conditionMatches(_ p: PreparedSubject) -> Bool { compiled.matches(p) }

    /// The severity an alert raised by this rule for `subject` gets. With
    /// `from_anomaly`, a subject without a valid severity gets `medium`.
    public func alertSeverity(for subject: AlertSubject) -> AlertSeverity {
        switch severity {
        case .fixed(let s): s
        case .fromAnomaly: subject.severity.flatMap(AlertSeverity.init(rawValue:)) ?? .medium
        }
    }
}

/// A rule's `severity:` — a fixed level or `from_anomaly`.
public enum RuleSeverity: Sendable, Equatable {
    /// Always this severity.
    case fixed(AlertSeverity)
    /// Take the subject's anomaly severity (`medium` when it has none).
    case fromAnomaly

    /// As written in rules.
    public var name: String {
        switch self {
        case .fixed(let s): s.rawValue
        case .fromAnomaly: "from_anomaly"
        }
    }
}

/// `repeat: {count, within_minutes, radius_arcsec}`: at least `count`
/// matching subjects (the current one included) at the same position within
/// the window ending at the current subject's observation time.
public struct RepeatSpec: Sendable, Equatable {
    /// Matches needed, ≥ 1.
    public let count: Int
    /// Window length, minutes (> 0).
    public let withinMinutes: Double
    /// "Same position" radius, arcseconds; defaults to the rule's dedup radius.
    public let radiusArcsec: Double
    /// Window length, seconds.
    public var window: TimeInterval { withinMinutes * 60 }

    var json: JSONValue {
        .object([
            "count": .number(Double(count)), "within_minutes": .number(withinMinutes),
            "radius_arcsec": .number(radiusArcsec),
        ])
    }
}

/// What a rule may group its alerts by.
public enum GroupLabel: String, Sendable, Codable, CaseIterable, Comparable {
    /// The rule (always implied: groups never span rules).
    case rule
    /// The subject's field (pointing).
    case field
    /// The photometric filter.
    case filter
    /// The observation id.
    case observation
    /// The alert itself (its dedup key): one group per sky position.
    case object
    /// The detection type.
    case type
    /// The alert's severity.
    case severity

    /// Alphabetical, so `group_by` lists are kept in one canonical order.
    public static func < (a: GroupLabel, b: GroupLabel) -> Bool { a.rawValue < b.rawValue }
}
