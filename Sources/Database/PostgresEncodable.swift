import Foundation

/// A Swift value that can be sent to PostgreSQL as a query or COPY parameter,
/// in PostgreSQL's text input format.
///
/// Parameters are sent without a declared type, so the server reads the text
/// as whatever type the context needs; where there is no context (a bare
/// `SELECT $1`) add a cast such as `$1::float8[]`.
public protocol PostgresEncodable {
    /// The value as PostgreSQL's text input format for its type, e.g. `t`,
    /// `2020-08-30T21:36:59.101000Z`, `\x0aff`, `{"1.5","NaN"}`. Must not contain NUL.
    var postgresText: String { get }
}

/// A scalar type that may appear as an element of a PostgreSQL array
/// (`[Double]`, `[String]`, `[UUID]`…). Arrays of arrays are not supported.
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    /// Shortest text that reads back to the same value; `NaN`, `Infinity` and
    /// `-Infinity` spelled as PostgreSQL's float input expects.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Float: PostgresEncodable {
    /// As for `Double`; the shortest text for the `Float`, so a `float4`
    /// column reads back the same value (a `float8` column gets the decimal).
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension UUID: PostgresEncodable {
    public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds (PostgreSQL's resolution), rounded
    /// to the nearest microsecond, for `timestamptz`.
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Data: PostgresEncodable {
    /// `bytea` hex format: `\x` followed by two lower-case hex digits per byte.
    public var postgresText: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    /// An array literal with every element double-quoted and escaped, e.g.
    /// `{"a \"b\"","c\\d"}`, so any text survives, including `NULL` and commas.
    public var postgresText: String { PostgresArrayLiteral.format(map(\.postgresText)) }
}

extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int16: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Double: PostgresArrayElement {}
extension Float: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension UUID: PostgresArrayElement {}
extension Date: PostgresArrayElement {}

/// JSON text for a `json`/`jsonb` parameter or column.
///
/// Holds the text as-is; the server validates and (for `jsonb`) normalizes it,
/// so read-back text may differ in spacing and key order while meaning the same.
public struct JSONB: PostgresEncodable, PostgresDecodable, Sendable, Hashable, CustomStringConvertible {
    /// The JSON document's text.
    public let text: String

    /// Wraps JSON text that is already serialized. It is not validated here.
    public init(raw text: String) { self.text = text }

    /// Serializes an `Encodable` value with `encoder` (sorted keys by default, for stable text).
    public init<T: Encodable>(_ value: T, encoder: JSONEncoder? = nil) throws {
        let encoder = encoder ?? {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return encoder
        }()
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the document into `type`.
    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    /// The document as UTF-8 bytes.
    public var data: Data { Data(text.utf8) }

    public var postgresText: String { text }

    public init?(postgresText text: String, type: UInt32) { self.text = text }

    public var description: String { text }
}
