import Foundation

/// A JSON value rendered canonically: object keys sorted, no whitespace,
/// integers without a fraction, other numbers in Swift's shortest
/// round-trip form. The same rule therefore always renders to the same
/// bytes, which is what the stored JSON and the fingerprint rely on.
enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The canonical text.
    var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (i, k) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.string(k).render(into: &out)
                out += ":"
                members[k]!.render(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.render(into: &out)
            }
            out += "]"
        case .string(let s): out += JSONValue.quoted(s)
        case .number(let d): out += JSONValue.number(d)
        case .bool(let b): out += b ? "true" : "false"
        }
    }

    /// Integers up to 2^53 print without a fraction; others use the shortest
    /// form that reads back to the same Double. Callers never pass non-finite values.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 9.0e15 { return String(Int64(d)) }
        return "\(d)"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
