import Foundation

/// An operator's order to hold alerts that match, for a time or until an
/// alert resolves.
///
/// A silence is active from `startsAt` (nil: at once) until `endsAt`
/// (exclusive; nil: open-ended, which needs `untilResolved`). It matches an
/// alert when every matcher holds and, with a `region`, the position is
/// inside it. Silences act twice: a subject arriving while a silence matches
/// it is held (``RouteDecision/silenced(_:by:)``), and an active alert that a
/// silence matches is left out of notifications while the silence lasts.
public struct Silence: Sendable, Codable, Equatable {
    /// Unique id; adding a silence with an existing id replaces it.
    public var id: String
    /// All must hold.
    public var matchers: [SilenceMatcher]
    /// Optional sky region the position must be in.
    public var region: SkyCone?
    /// Router time it starts; nil = when added.
    public var startsAt: Date?
    /// Router time it ends (exclusive); nil = until `untilResolved` resolves.
    public var endsAt: Date?
    /// Lasts until this alert resolves (then `endsAt` is set to that time).
    public var untilResolved: AlertKey?
    /// Who asked for it.
    public var createdBy: String
    /// Why.
    public var comment: String

    /// Makes a silence; ``Router/addSilence(_:)`` validates it.
    public init(
        id: String, matchers: [SilenceMatcher], region: SkyCone? = nil, startsAt: Date? = nil, endsAt: Date? = nil,
        untilResolved: AlertKey? = nil, createdBy: String, comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.region = region
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.untilResolved = untilResolved
        self.createdBy = createdBy
        self.comment = comment
    }

    /// Whether the silence is in force at router time `now`.
    public func isActive(at now: Date) -> Bool {
        if let s = startsAt, now < s { return false }
        if let e = endsAt, now >= e { return false }
        return true
    }
}

/// One condition of a silence: `name = value`, `name != value`,
/// `name =~ regex`, `name !~ regex`. Regexes must match the whole value.
///
/// Names: the rule fields (``AlertSubject/ruleFields``) plus `rule`,
/// `observation` and `candidate`. `severity` is the alert's severity. A
/// missing value is the empty string, so `field != X` matches alerts
/// without a field and `field = ""` matches only those.
public struct SilenceMatcher: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The comparison.
    public enum Operator: String, Sendable, Codable {
        /// Equal text.
        case equal = "="
        /// Different text.
        case notEqual = "!="
        /// The regex matches the whole value.
        case matches = "=~"
        /// The regex does not match the whole value.
        case notMatches = "!~"
    }

    /// The label compared.
    public var name: String
    /// How.
    public var op: Operator
    /// The text, or the regex for `=~`/`!~`.
    public var value: String

    /// Makes a matcher.
    public init(_ name: String, _ op: Operator, _ value: String) {
        self.name = name
        self.op = op
        self.value = value
    }

    /// Parses `field=NOC-F02`, `type!=moving`, `rule=~bright-.*`, `filter!~[gr]`.
    public init(parsing text: String) throws(SilenceError) {
        let nameEnd = text.firstIndex { !($0.isLetter || $0 == "_") } ?? text.endIndex
        let name = String(text[..<nameEnd])
        let rest = text[nameEnd...]
        for op in [Operator.notEqual, .notMatches, .matches, .equal] where rest.hasPrefix(op.rawValue) {
            self.init(name, op, String(rest.dropFirst(op.rawValue.count)))
            return
        }
        throw SilenceError(message: "matcher '\(text)': expected name=value, name!=value, name=~regex or name!~regex")
    }

    /// The label names a matcher may use.
    public static let names: [String] = SubjectField.allCases.map(\.rawValue) + ["rule", "observation", "candidate"]

    /// As parsed: `field=NOC-F02`.
    public var description: String { name + op.rawValue + value }
}

/// Why a silence was refused.
public struct SilenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the silence and matcher.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// A silence with its regexes compiled once.
struct CompiledSilence {
    var silence: Silence
    private let regexes: [NSRegularExpression?]

    init(_ s: Silence) throws(SilenceError) {
        guard !s.id.isEmpty else { throw SilenceError(message: "silence needs an id") }
        guard !s.matchers.isEmpty || s.region != nil else {
            throw SilenceError(message: "silence '\(s.id)' needs at least one matcher or a region")
        }
        guard s.endsAt != nil || s.untilResolved != nil else {
            throw SilenceError(message: "silence '\(s.id)' needs endsAt or untilResolved")
        }
        if let start = s.startsAt, let end = s.endsAt, end <= start {
            throw SilenceError(message: "silence '\(s.id)' ends before it starts")
        }
        var compiled: [NSRegularExpression?] = []
        for m in s.matchers {
            guard SilenceMatcher.names.contains(m.name) else {
                throw SilenceError(
                    message: "silence '\(s.id)': unknown matcher name '\(m.name)'"
                        + Suggest.hint(m.name, SilenceMatcher.names))
            }
            if m.op == .matches || m.op == .notMatches {
                do {
                    compiled.append(try NSRegularExpression(pattern: "^(?:" + m.value + ")$"))
                } catch {
                    throw SilenceError(message: "silence '\(s.id)': bad regex '\(m.value)' for '\(m.name)'")
                }
            } else {
                compiled.append(nil)
            }
        }
        silence = s
        regexes = compiled
    }

    /// Whether the silence, if active, covers an alert with these labels and position (degrees).
    func covers(labels: [String: String], ra: Double?, dec: Double?) -> Bool {
        for (m, re) in zip(silence.matchers, regexes) {
            let v = labels[m.name] ?? ""
            let ok: Bool
            switch m.op {
            case .equal: ok = v == m.value
            case .notEqual: ok = v != m.value
            case .matches, .notMatches:
                let hit = re!.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
                ok = hit == (m.op == .matches)
            }
            if !ok { return false }
        }
        guard let region = silence.region else { return true }
        guard let ra, let dec else { return false }
        return region.contains(ra: ra, dec: dec)
    }
}
