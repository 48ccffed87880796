import Foundation

/// JSON text parsed into Foundation values (`[String: Any]`, `[Any]`,
/// `String`, `Bool`, `NSNumber`, `NSNull`) with every number read exactly.
///
/// Why not `JSONSerialization.jsonObject`: on Linux its number parser is not
/// correctly rounded (`0.30000000000000004` reads back as
/// `0.3000000000000001`), and PostgreSQL's JSONB rewrites a number's text
/// (`2.2e-05` comes back as `0.000022`). A figure that reached a stage once
/// through a message and once through a stored row then differed in the last
/// bit, and a replay was no longer bit-for-bit. `JSONDecoder` rounds
/// correctly, so the same number in any spelling gives the same `Double`.
public enum ExactJSON {
    /// The value of `data`, which may be any JSON value (not only an object).
    /// Integers that fit in `Int` become `NSNumber(value: Int)`, every other
    /// number `NSNumber(value: Double)`, so `as? Int` and `as? Double` behave
    /// as they do on `JSONSerialization`'s results.
    public static func object(from data: Data) throws -> Any {
        try JSONDecoder().decode(AnyJSON.self, from: data).object
    }

    /// ``object(from:)`` of UTF-8 `text`.
    public static func object(from text: String) throws -> Any {
        try object(from: Data(text.utf8))
    }

    /// ``object(from:)`` when it is a JSON object; nil for anything else,
    /// including text that is not JSON.
    public static func dictionary(from text: String) -> [String: Any]? {
        (try? object(from: text)) as? [String: Any]
    }
}

/// Any JSON value, for carrying a payload through Codable.
struct AnyJSON: Codable {
    let object: Any

    init(_ object: Any) { self.object = object }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { object = NSNull() } else if let b = try? c.decode(Bool.self) { object = b }
        else if let i = try? c.decode(Int.self) { object = NSNumber(value: i) }
        else if let n = try? c.decode(Double.self) { object = NSNumber(value: n) }
        else if let s = try? c.decode(String.self) { object = s }
        else if let a = try? c.decode([AnyJSON].self) { object = a.map(\.object) }
        else { object = try c.decode([String: AnyJSON].self).mapValues(\.object) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        // On Linux `NSNumber(value: 1) as? Bool` succeeds, so a Bool is told
        // by its dynamic type and a number by the type it was made from.
        if let b = object as? Bool, type(of: object) == Bool.self || String(cString: (object as! NSNumber).objCType) == "c" {
            return try c.encode(b)
        }
        switch object {
        case is NSNull: try c.encodeNil()
        case let n as NSNumber where ["d", "f"].contains(String(cString: n.objCType)): try c.encode(n.doubleValue)
        case let n as NSNumber: try c.encode(n.int64Value)
        case let s as String: try c.encode(s)
        case let a as [Any]: try c.encode(a.map(AnyJSON.init))
        case let d as [String: Any]: try c.encode(d.mapValues(AnyJSON.init))
        default: try c.encodeNil()
        }
    }
}
