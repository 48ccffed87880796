import Yams

/// Reads a rule's `when` tree from YAML, checking every field, operator and
/// value against ``AlertSubject/ruleFields`` so mistakes fail at load time
/// with the key path named, not silently at night.
enum ConditionParser {
    /// A condition node: a mapping (several keys are an implicit `all`) or a list (also `all`).
    static func parse(_ node: Node, key: String) throws(RuleError) -> Condition {
        if node.sequence != nil {
            return .all(try children(node, key: key))
        }
        let pairs = try YAMLRead.pairs(node, key: key)
        guard !pairs.isEmpty else { throw YAMLRead.fail(key, "empty condition") }
        var parts: [Condition] = []
        for (name, value) in pairs {
            parts.append(try entry(name, value, key: YAMLRead.join(key, name)))
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private static func children(_ node: Node, key: String) throws(RuleError) -> [Condition] {
        let items = try YAMLRead.sequence(node, key: key)
        guard !items.isEmpty else { throw YAMLRead.fail(key, "needs at least one condition") }
        var out: [Condition] = []
        for (i, item) in items.enumerated() { out.append(try parse(item, key: "\(key)[\(i)]")) }
        return out
    }

    private static func entry(_ name: String, _ node: Node, key: String) throws(RuleError) -> Condition {
        switch name {
        case "all": return .all(try children(node, key: key))
        case "any": return .any(try children(node, key: key))
        case "not": return .not(try parse(node, key: key))
        case "region": return try region(node, key: key)
        default:
            guard let field = SubjectField(rawValue: name) else {
                let known = SubjectField.allCases.map(\.rawValue) + ["all", "any", "not", "region"]
                throw YAMLRead.fail(key, "unknown field '\(name)'" + Suggest.hint(name, known))
            }
            return try fieldTest(field, node, key: key)
        }
    }

    /// `field: value` (eq), `field: [a, b]` (in) or `field: {op: value, …}` (implicit all).
    private static func fieldTest(_ field: SubjectField, _ node: Node, key: String) throws(RuleError) -> Condition {
        if node.sequence != nil {
            return .compare(field, .in, try operand(field, .in, node, key: key))
        }
        if node.mapping == nil {
            return .compare(field, .eq, try operand(field, .eq, node, key: key))
        }
        let pairs = try YAMLRead.pairs(node, key: key)
        guard !pairs.isEmpty else { throw YAMLRead.fail(key, "needs an operator") }
        var parts: [Condition] = []
        for (opName, value) in pairs {
            let opKey = YAMLRead.join(key, opName)
            guard let op = ComparisonOperator(rawValue: opName) else {
                let known = ComparisonOperator.allCases.map(\.rawValue)
                throw YAMLRead.fail(opKey, "unknown operator '\(opName)'" + Suggest.hint(opName, known))
            }
            try check(op, for: field, key: opKey)
            parts.append(.compare(field, op, try operand(field, op, value, key: opKey)))
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private static func check(_ op: ComparisonOperator, for field: SubjectField, key: String) throws(RuleError) {
        let type = field.valueType
        guard !ComparisonOperator.allowed(for: type).contains(op) else { return }
        let message: String
        switch (type, op) {
        case (.severity, _):
            message = "severity is ordered by name: use at_least/at_most with \(AlertSeverity.namesInOrder)"
        case (_, .atLeast), (_, .atMost):
            message = "\(op.rawValue) applies to severity only; use gte/lte for numbers"
        default:
            let ops = ComparisonOperator.allowed(for: type).map(\.rawValue).joined(separator: ", ")
            message =
                "operator '\(op.rawValue)' does not apply to \(type.rawValue) field '\(field.rawValue)'"
                + " (allowed: \(ops))"
        }
        throw YAMLRead.fail(key, message)
    }

    private static func operand(_ field: SubjectField, _ op: ComparisonOperator, _ node: Node, key: String)
        throws(RuleError) -> ConditionValue
    {
        if op == .exists { return .bool(try YAMLRead.bool(node, key: key)) }
        guard op == .in || op == .notIn else { return try single(field, node, key: key) }
        let items = try YAMLRead.sequence(node, key: key)
        guard !items.isEmpty else { throw YAMLRead.fail(key, "needs at least one value") }
        var values: [ConditionValue] = []
        for (i, item) in items.enumerated() { values.append(try single(field, item, key: "\(key)[\(i)]")) }
        switch field.valueType {
        case .number: return .numbers(values.compactMap { if case .number(let d) = $0 { d } else { nil } })
        case .severity: return .severities(values.compactMap { if case .severity(let s) = $0 { s } else { nil } })
        default: return .strings(values.compactMap { if case .string(let s) = $0 { s } else { nil } })
        }
    }

    private static func single(_ field: SubjectField, _ node: Node, key: String) throws(RuleError) -> ConditionValue {
        switch field.valueType {
        case .number: return .number(try YAMLRead.number(node, key: key))
        case .bool: return .bool(try YAMLRead.bool(node, key: key))
        case .severity:
            guard node.tag.description == YAMLRead.strTag,
                let s = node.scalar.flatMap({ AlertSeverity(rawValue: $0.string) })
            else {
                throw YAMLRead.fail(
                    key, "expected a severity (\(AlertSeverity.namesInOrder)), got \(YAMLRead.describe(node))")
            }
            return .severity(s)
        case .string:
            if let allowed = field.allowedValues {
                let text = node.tag.description == YAMLRead.strTag ? node.scalar?.string : nil
                guard let text, allowed.contains(text) else {
                    throw YAMLRead.fail(
                        key,
                        "expected a \(field.rawValue): one of \(allowed.joined(separator: ", "));"
                            + " got \(YAMLRead.describe(node))"
                    )
                }
                return .string(text)
            }
            return .string(try YAMLRead.string(node, key: key))
        }
    }

    /// `region: {cone: {...}}` or `region: {watchlist: [{...}, …]}`.
    private static func region(_ node: Node, key: String) throws(RuleError) -> Condition {
        let pairs = try YAMLRead.pairs(node, key: key)
        guard pairs.count == 1, let (name, value) = pairs.first else {
            throw YAMLRead.fail(key, "region needs exactly one of: cone, watchlist")
        }
        let sub = YAMLRead.join(key, name)
        switch name {
        case "cone": return .cone(try cone(value, key: sub, named: false))
        case "watchlist":
            let items = try YAMLRead.sequence(value, key: sub)
            guard !items.isEmpty else { throw YAMLRead.fail(sub, "watchlist needs at least one entry") }
            var cones: [SkyCone] = []
            for (i, item) in items.enumerated() { cones.append(try cone(item, key: "\(sub)[\(i)]", named: true)) }
            return .watchlist(cones)
        default:
            throw YAMLRead.fail(sub, "unknown region '\(name)' (known: cone, watchlist)")
        }
    }

    /// `{ra: deg, dec: deg, radius_arcsec: arcsec}` plus `name` in watch lists.
    static func cone(_ node: Node, key: String, named: Bool) throws(RuleError) -> SkyCone {
        var values: [String: Double] = [:]
        var name: String?
        for (k, v) in try YAMLRead.pairs(node, key: key) {
            let sub = YAMLRead.join(key, k)
            switch k {
            case "ra", "dec", "radius_arcsec": values[k] = try YAMLRead.number(v, key: sub)
            case "name" where named: name = try YAMLRead.string(v, key: sub)
            default:
                let known = named ? "ra, dec, radius_arcsec, name" : "ra, dec, radius_arcsec"
                throw YAMLRead.fail(sub, "unknown key '\(k)' (known: \(known))")
            }
        }
        for k in ["ra", "dec", "radius_arcsec"] where values[k] == nil {
            throw YAMLRead.fail(YAMLRead.join(key, k), "missing")
        }
        do {
            return try SkyCone(
                ra: values["ra"]!, dec: values["dec"]!, radiusArcsec: values["radius_arcsec"]!, name: name)
        } catch {
            throw YAMLRead.fail(YAMLRead.join(key, error.key), error.message)
        }
    }
}

/// "Did you mean …?" hints for misspelt keys.
enum Suggest {
    /// ` (did you mean 'type'?)` when a known name is within two edits, else the known list.
    static func hint(_ name: String, _ known: [String]) -> String {
        let best = known.map { ($0, distance(name, $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        if let best, best.1 <= 2 { return " (did you mean '\(best.0)'?)" }
        return " (known: \(known.joined(separator: ", ")))"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
