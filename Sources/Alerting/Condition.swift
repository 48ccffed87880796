/// A rule's `when` tree, as parsed and validated.
///
/// Semantics: a leaf whose field the subject lacks does not match, whatever
/// the operator, except `exists: false`. So `field: {ne: X}` needs a field,
/// while `not: {field: {eq: X}}` also matches subjects without one.
/// ``canonicalJSON`` mirrors the YAML form (`{"snr":{"gte":10}}`), so it can be
/// read back as a rule's `when`.
public indirect enum Condition: Sendable, Equatable {
    /// Every child matches (an empty list is refused at parse time).
    case all([Condition])
    /// At least one child matches.
    case any([Condition])
    /// The child does not match.
    case not(Condition)
    /// `field: {op: value}`; the value's type fits the field and operator.
    case compare(SubjectField, ComparisonOperator, ConditionValue)
    /// The subject's position is inside the cone (great-circle distance).
    case cone(SkyCone)
    /// The subject's position is inside at least one watch-list cone.
    case watchlist([SkyCone])

    /// Canonical JSON text (sorted keys, no spaces).
    public var canonicalJSON: String { json.rendered }

    var json: JSONValue {
        switch self {
        case .all(let cs): .object(["all": .array(cs.map(\.json))])
        case .any(let cs): .object(["any": .array(cs.map(\.json))])
        case .not(let c): .object(["not": c.json])
        case .compare(let f, let op, let v): .object([f.rawValue: .object([op.rawValue: v.json])])
        case .cone(let c): .object(["region": .object(["cone": Condition.coneJSON(c)])])
        case .watchlist(let cs): .object(["region": .object(["watchlist": .array(cs.map(Condition.coneJSON))])])
        }
    }

    static func coneJSON(_ c: SkyCone) -> JSONValue {
        var o: [String: JSONValue] = [
            "ra": .number(c.ra), "dec": .number(c.dec), "radius_arcsec": .number(c.radiusArcsec),
        ]
        if let n = c.name { o["name"] = .string(n) }
        return .object(o)
    }
}

/// The comparison operators, spelled as in rules.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq, ne, lt, lte, gt, gte
    case `in`
    case notIn = "not_in"
    case atLeast = "at_least"
    case atMost = "at_most"
    case exists

    /// The operators a field of this type accepts.
    static func allowed(for type: FieldType) -> [ComparisonOperator] {
        switch type {
        case .number: [.eq, .ne, .lt, .lte, .gt, .gte, .in, .notIn, .exists]
        case .string: [.eq, .ne, .in, .notIn, .exists]
        case .severity: [.eq, .ne, .in, .notIn, .atLeast, .atMost, .exists]
        case .bool: [.eq, .ne, .exists]
        }
    }
}

/// A leaf's operand, already of the field's type.
public enum ConditionValue: Sendable, Equatable {
    /// For eq … gte on a number field.
    case number(Double)
    /// For eq/ne on a text field.
    case string(String)
    /// For eq/ne on a bool field, and for `exists`.
    case bool(Bool)
    /// For eq/ne/at_least/at_most on severity.
    case severity(AlertSeverity)
    /// For in/not_in on a number field.
    case numbers([Double])
    /// For in/not_in on a text field.
    case strings([String])
    /// For in/not_in on severity.
    case severities([AlertSeverity])

    var json: JSONValue {
        switch self {
        case .number(let d): .number(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .severity(let s): .string(s.rawValue)
        case .numbers(let ds): .array(ds.map { .number($0) })
        case .strings(let ss): .array(ss.map { .string($0) })
        case .severities(let ss): .array(ss.map { .string($0.rawValue) })
        }
    }
}
