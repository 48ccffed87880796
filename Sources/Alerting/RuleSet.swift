import Foundation
import Yams

/// A validated collection of rules with unique names, and the rules parser.
///
/// A rules file is either a mapping with a single key `rules:` holding a
/// list, a bare list of rules, or one rule (a mapping with `name:`).
/// Keys of a rule: `name`, `description`, `severity`, `enabled`, `when`,
/// `repeat`, `group_by`, `group_wait`, `group_interval`, `repeat_interval`,
/// `dedup_radius_arcsec`, `resolve_after`, `channels`; anything else is refused.
public struct RuleSet: Sendable {
    /// The rules in file order.
    public let rules: [AlertRule]

    /// Collects rules (from one or several files), refusing duplicate names.
    public init(_ rules: [AlertRule]) throws(RuleError) {
        var seen = Set<String>()
        for r in rules where !seen.insert(r.name).inserted {
            throw RuleError(rule: r.name, key: "name", message: "duplicate rule name (also in \(r.source))")
        }
        self.rules = rules
    }

    /// The enabled rules that match a subject, in rule order. The subject is
    /// prepared once and recorded in `history` for rules with `repeat`.
    public func matching(_ subject: AlertSubject, history: any MatchHistory) -> [AlertRule] {
        let p = PreparedSubject(subject)
        return rules.filter { $0.matches(p, history: history) }
    }

    /// Parses and validates a rules file; throws the first problem found.
    /// `source` (a file name) is kept in each rule for messages.
    public static func parse(yaml: String, source: String) throws(RuleError) -> [AlertRule] {
        let (rules, errors) = load(yaml: yaml, source: source)
        if let first = errors.first { throw first }
        return rules
    }

    /// Every problem in a rules file (at most one per rule), for `nocturne rules check`-style tools.
    public static func validate(yaml: String, source: String) -> [RuleError] {
        load(yaml: yaml, source: source).errors
    }

    private static func load(yaml: String, source: String) -> (rules: [AlertRule], errors: [RuleError]) {
        let items: [(Node, String)]
        do {
            items = try ruleNodes(yaml: yaml)
        } catch {
            return ([], [error])
        }
        var rules: [AlertRule] = []
        var errors: [RuleError] = []
        var names: [String: String] = [:]
        for (node, path) in items {
            do throws(RuleError) {
                let rule = try RuleParser.rule(node, path: path, source: source)
                if let other = names[rule.name] {
                    throw RuleError(rule: rule.name, key: "name", message: "duplicate rule name (first at \(other))")
                }
                names[rule.name] = path
                rules.append(rule)
            } catch {
                errors.append(error)
            }
        }
        return (rules, errors)
    }

    /// The rule mappings of a file with their paths (`rules[0]`, …).
    private static func ruleNodes(yaml: String) throws(RuleError) -> [(Node, String)] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw RuleError(key: "", message: "invalid YAML: \(error)")
        }
        guard let root else { return [] }
        if root.sequence != nil {
            return try YAMLRead.sequence(root, key: "").enumerated().map { ($1, "[\($0)]") }
        }
        let pairs = try YAMLRead.pairs(root, key: "")
        if pairs.contains(where: { $0.0 == "name" }) { return [(root, "")] }
        for (k, _) in pairs where k != "rules" {
            throw RuleError(key: k, message: "unknown top-level key '\(k)' (a rules file holds `rules:`)")
        }
        guard let list = pairs.first?.1 else { return [] }
        if list.tag.description == Tag.Name.null.rawValue { return [] }
        return try YAMLRead.sequence(list, key: "rules").enumerated().map { ($1, "rules[\($0)]") }
    }
}
