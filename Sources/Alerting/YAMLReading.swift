import Foundation
import Yams

/// Typed reads from a YAML node that fail with a ``RuleError`` naming the key.
/// Types come from YAML's own tags: a quoted `"10"` is a string, a plain `10`
/// a number, so `snr: {gte: "ten"}` and `type: {in: [3]}` are both refused.
enum YAMLRead {
    static let intTag = Tag.Name.int.rawValue
    static let floatTag = Tag.Name.float.rawValue
    static let strTag = Tag.Name.str.rawValue
    static let boolTag = Tag.Name.bool.rawValue

    static func fail(_ key: String, _ message: String) -> RuleError { RuleError(key: key, message: message) }

    /// The pairs of a mapping in file order; keys must be plain strings and unique.
    static func pairs(_ node: Node, key: String) throws(RuleError) -> [(String, Node)] {
        guard let mapping = node.mapping else { throw fail(key, "expected a mapping, got \(describe(node))") }
        var seen = Set<String>()
        var out: [(String, Node)] = []
        for (k, v) in mapping {
            guard let name = k.scalar?.string else { throw fail(key, "keys must be plain text") }
            guard seen.insert(name).inserted else { throw fail(join(key, name), "duplicate key '\(name)'") }
            out.append((name, v))
        }
        return out
    }

    static func sequence(_ node: Node, key: String) throws(RuleError) -> [Node] {
        guard let seq = node.sequence else { throw fail(key, "expected a list, got \(describe(node))") }
        return Array(seq)
    }

    /// A finite number (YAML int or float).
    static func number(_ node: Node, key: String) throws(RuleError) -> Double {
        let tag = node.tag.description
        let value: Double? = tag == intTag ? node.int.map(Double.init) : (tag == floatTag ? node.float : nil)
        guard let value else { throw fail(key, "expected a number, got \(describe(node))") }
        guard value.isFinite else { throw fail(key, "expected a finite number, got \(describe(node))") }
        return value
    }

    static func integer(_ node: Node, key: String) throws(RuleError) -> Int {
        guard node.tag.description == intTag, let v = node.int else {
            throw fail(key, "expected a whole number, got \(describe(node))")
        }
        return v
    }

    /// Text; other scalars must be quoted (`"2026"`), so a mistyped value is not silently text.
    static func string(_ node: Node, key: String) throws(RuleError) -> String {
        guard let s = node.scalar, node.tag.description == strTag else {
            throw fail(key, "expected text, got \(describe(node)) (quote it if it is meant as text)")
        }
        return s.string
    }

    static func bool(_ node: Node, key: String) throws(RuleError) -> Bool {
        guard node.tag.description == boolTag, let b = node.bool else {
            throw fail(key, "expected true or false, got \(describe(node))")
        }
        return b
    }

    /// A duration in seconds: a number of seconds, or text such as `30s`, `5m`,
    /// `2h`, `1d`, `1h30m` (units s, m, h, d; decimals allowed). Never negative.
    static func duration(_ node: Node, key: String) throws(RuleError) -> Double {
        let tag = node.tag.description
        if tag == intTag || tag == floatTag {
            let s = try number(node, key: key)
            guard s >= 0 else { throw fail(key, "duration must not be negative, got \(JSONValue.number(s))") }
            return s
        }
        let text = try string(node, key: key).trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("-") { throw fail(key, "duration must not be negative, got '\(text)'") }
        guard let seconds = parseDuration(text) else {
            throw fail(key, "malformed duration '\(text)': use a number of seconds or e.g. 30s, 5m, 2h, 1d, 1h30m")
        }
        return seconds
    }

    /// Parses `<number><unit>` runs; nil when malformed.
    static func parseDuration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let plain = Double(text), plain.isFinite, plain >= 0 { return plain }
        var total = 0.0
        var digits = ""
        var sawPart = false
        for ch in text {
            if ch.isASCII, ch.isNumber || ch == "." {
                digits.append(ch)
            } else if let unit = units[ch], let v = Double(digits), v.isFinite {
                total += v * unit
                digits = ""
                sawPart = true
            } else {
                return nil
            }
        }
        return sawPart && digits.isEmpty && total.isFinite ? total : nil
    }

    /// A short description of a node for messages: `text "ten"`, `number 3`, `a list`.
    static func describe(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        let s = node.scalar?.string ?? ""
        switch node.tag.description {
        case intTag, floatTag: return "number \(s)"
        case boolTag: return "boolean \(s)"
        case Tag.Name.null.rawValue: return "nothing (null)"
        case strTag: return "text \"\(s)\""
        default: return "'\(s)'"
        }
    }

    /// `a.b` path join; indices are appended by callers as `[i]`.
    static func join(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }
}
