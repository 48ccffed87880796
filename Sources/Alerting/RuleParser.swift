import Foundation
import Yams

/// Reads one rule mapping into an ``AlertRule``, refusing anything unknown,
/// mistyped or impossible with the rule and key named.
enum RuleParser {
    static let keys = [
        "name", "description", "severity", "enabled", "when", "repeat", "group_by", "group_wait", "group_interval",
        "repeat_interval", "dedup_radius_arcsec", "resolve_after", "channels",
    ]
    /// Defaults (seconds), as in Alertmanager: wait 30 s, interval 5 min, repeat 4 h.
    static let defaultGroupWait = 30.0, defaultGroupInterval = 300.0, defaultRepeatInterval = 14400.0
    /// Default dedup radius, arcseconds: about a seeing disc, so one source is one alert.
    static let defaultDedupRadius = 2.0
    /// Smallest dedup radius, arcseconds: above twice the key's rounding (1e-6°),
    /// so distinct alerts always get distinct keys.
    static let minDedupRadius = 0.01

    static func rule(_ node: Node, path: String, source: String) throws(RuleError) -> AlertRule {
        let pairs = try YAMLRead.pairs(node, key: path)
        let name = try ruleName(pairs, path: path)
        do {
            return try body(Dictionary(pairs) { a, _ in a }, order: pairs.map(\.0), name: name, source: source)
        } catch {
            var e = error
            e.rule = name
            throw e
        }
    }

    private static func ruleName(_ pairs: [(String, Node)], path: String) throws(RuleError) -> String {
        let key = YAMLRead.join(path, "name")
        guard let node = pairs.first(where: { $0.0 == "name" })?.1 else {
            throw RuleError(key: key, message: "missing")
        }
        let name = try YAMLRead.string(node, key: key)
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
        guard !name.isEmpty, name.count <= 128, name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw RuleError(key: key, message: "bad name '\(name)': use 1–128 of A-Z a-z 0-9 _ . -")
        }
        return name
    }

    private static func body(_ m: [String: Node], order: [String], name: String, source: String) throws(RuleError)
        -> AlertRule
    {
        for k in order where !keys.contains(k) {
            throw RuleError(key: k, message: "unknown key '\(k)'" + Suggest.hint(k, keys))
        }
        guard let when = m["when"] else { throw RuleError(key: "when", message: "missing (a rule needs a condition)") }
        guard let sevNode = m["severity"] else { throw RuleError(key: "severity", message: "missing") }
        let severity = try ruleSeverity(sevNode)
        let condition = try ConditionParser.parse(when, key: "when")
        var dedup = defaultDedupRadius
        if let n = m["dedup_radius_arcsec"] { dedup = try radius(n, key: "dedup_radius_arcsec", min: minDedupRadius) }
        var rep: RepeatSpec?
        if let n = m["repeat"] { rep = try repeatSpec(n, defaultRadius: dedup) }
        var resolveAfter: Double?
        if let n = m["resolve_after"] { resolveAfter = try duration(n, key: "resolve_after", default: 0) }
        var description = ""
        if let n = m["description"] { description = try YAMLRead.string(n, key: "description") }
        var enabled = true
        if let n = m["enabled"] { enabled = try YAMLRead.bool(n, key: "enabled") }
        let timing = (
            wait: try duration(m["group_wait"], key: "group_wait", default: defaultGroupWait, allowZero: true),
            interval: try duration(m["group_interval"], key: "group_interval", default: defaultGroupInterval),
            repeat: try duration(m["repeat_interval"], key: "repeat_interval", default: defaultRepeatInterval)
        )
        return AlertRule(
            name: name, description: description, severity: severity, enabled: enabled, condition: condition,
            repeatSpec: rep, groupBy: try groupBy(m["group_by"]), timing: timing, dedupRadiusArcsec: dedup,
            resolveAfter: resolveAfter, channels: try channels(m["channels"]), source: source)
    }

    private static func ruleSeverity(_ node: Node) throws(RuleError) -> RuleSeverity {
        let text = node.tag.description == YAMLRead.strTag ? node.scalar?.string : nil
        if text == "from_anomaly" { return .fromAnomaly }
        guard let s = text.flatMap(AlertSeverity.init(rawValue:)) else {
            throw RuleError(
                key: "severity",
                message: "expected \(AlertSeverity.namesInOrder) or from_anomaly, got \(YAMLRead.describe(node))")
        }
        return .fixed(s)
    }

    private static func radius(_ node: Node, key: String, min: Double) throws(RuleError) -> Double {
        let r = try YAMLRead.number(node, key: key)
        guard r >= min, r <= Sky.maxRadiusArcsec else {
            throw RuleError(
                key: key,
                message: "radius \(JSONValue.number(r))″ must be in [\(JSONValue.number(min)), 648000] arcseconds")
        }
        return r
    }

    private static func repeatSpec(_ node: Node, defaultRadius: Double) throws(RuleError) -> RepeatSpec {
        var count: Int?
        var minutes: Double?
        var radiusArcsec = defaultRadius
        for (k, v) in try YAMLRead.pairs(node, key: "repeat") {
            let key = "repeat." + k
            switch k {
            case "count":
                count = try YAMLRead.integer(v, key: key)
                guard count! >= 1 else { throw RuleError(key: key, message: "count must be at least 1, got \(count!)") }
            case "within_minutes":
                minutes = try YAMLRead.number(v, key: key)
                guard minutes! > 0 else {
                    throw RuleError(key: key, message: "window must be positive, got \(JSONValue.number(minutes!))")
                }
            case "radius_arcsec": radiusArcsec = try radius(v, key: key, min: minDedupRadius)
            default:
                throw RuleError(key: key, message: "unknown key '\(k)' (known: count, within_minutes, radius_arcsec)")
            }
        }
        guard let count else { throw RuleError(key: "repeat.count", message: "missing") }
        guard let minutes else { throw RuleError(key: "repeat.within_minutes", message: "missing") }
        return RepeatSpec(count: count, withinMinutes: minutes, radiusArcsec: radiusArcsec)
    }

    private static func duration(_ node: Node?, key: String, default value: Double, allowZero: Bool = false)
        throws(RuleError)
        -> Double
    {
        guard let node else { return value }
        let s = try YAMLRead.duration(node, key: key)
        guard allowZero || s > 0 else { throw RuleError(key: key, message: "must be longer than zero") }
        return s
    }

    private static func groupBy(_ node: Node?) throws(RuleError) -> [GroupLabel] {
        guard let node else { return [] }
        var labels: [GroupLabel] = []
        for (i, item) in try YAMLRead.sequence(node, key: "group_by").enumerated() {
            let key = "group_by[\(i)]"
            let text = try YAMLRead.string(item, key: key)
            guard let label = GroupLabel(rawValue: text) else {
                throw RuleError(
                    key: key,
                    message: "unknown label '\(text)'" + Suggest.hint(text, GroupLabel.allCases.map(\.rawValue)))
            }
            guard !labels.contains(label) else { throw RuleError(key: key, message: "'\(text)' listed twice") }
            labels.append(label)
        }
        return labels.sorted()
    }

    private static func channels(_ node: Node?) throws(RuleError) -> [String] {
        guard let node else { return [] }
        var out: [String] = []
        for (i, item) in try YAMLRead.sequence(node, key: "channels").enumerated() {
            let key = "channels[\(i)]"
            let name = try YAMLRead.string(item, key: key).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw RuleError(key: key, message: "empty channel name") }
            guard !out.contains(name) else { throw RuleError(key: key, message: "channel '\(name)' listed twice") }
            out.append(name)
        }
        return out
    }
}
