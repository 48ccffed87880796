/// A refused rule: which rule, which key inside it, and why.
///
/// `key` is a path inside the rule (`when.all[1].snr.gte`, `repeat.count`);
/// when the rule has no usable name yet, `rule` is nil and `key` starts at the
/// file (`rules[2].name`).
public struct RuleError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The rule's name, or nil when the problem is outside a named rule.
    public var rule: String?
    /// Path of the offending key inside the rule (or the file when `rule` is nil).
    public var key: String
    /// What is wrong, safe to log.
    public var message: String

    /// Makes an error for `key` in `rule`.
    public init(rule: String? = nil, key: String, message: String) {
        self.rule = rule
        self.key = key
        self.message = message
    }

    /// `rule 'bright-transients', key 'when.all[1].typ': unknown field 'typ' …`
    public var description: String {
        if let rule { return "rule '\(rule)', key '\(key)': \(message)" }
        return key.isEmpty ? message : "key '\(key)': \(message)"
    }
}
