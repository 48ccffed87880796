import Foundation

/// A Swift value that can be read from PostgreSQL's text output for a column.
public protocol PostgresDecodable {
    /// Parses the column's text as PostgreSQL printed it (the session uses
    /// ISO dates in UTC and hex `bytea`); nil when the text is not a valid `Self`.
    ///
    /// - Parameter type: the column's type OID from `PQftype` (0 when unknown),
    ///   for types read from more than one kind of column (e.g. `Data` from
    ///   `bytea` or from `jsonb`). Most conformances ignore it.
    init?(postgresText text: String, type: UInt32)
}

/// Type OIDs from PostgreSQL's `pg_type.dat` that decoding distinguishes.
enum PostgresTypeOID {
    static let bytea: UInt32 = 17
}

extension String: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self = text }
}

extension Int: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self.init(text) }
}

extension Int16: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self.init(text) }
}

extension Int32: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self.init(text) }
}

extension Int64: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self.init(text) }
}

extension Double: PostgresDecodable {
    /// Reads `float8`/`float4`/`numeric`/integer text, and `NaN`, `Infinity`, `-Infinity`.
    public init?(postgresText text: String, type: UInt32) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(text)
        }
    }
}

extension Float: PostgresDecodable {
    /// As for `Double`; a `float8` value is rounded to the nearest `Float`.
    public init?(postgresText text: String, type: UInt32) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(text)
        }
    }
}

extension Bool: PostgresDecodable {
    /// Reads `t`/`f` (PostgreSQL's output) and `true`/`false`.
    public init?(postgresText text: String, type: UInt32) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PostgresDecodable {
    public init?(postgresText text: String, type: UInt32) { self.init(uuidString: text) }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` (`2020-08-30 21:36:59.101+00`), `timestamp` (taken
    /// as UTC) and `date` (midnight UTC) in ISO style, to the microsecond.
    /// `infinity` does not decode.
    public init?(postgresText text: String, type: UInt32) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
}

extension Data: PostgresDecodable {
    /// Reads `bytea` hex output (`\x0aff`). Any other column (`jsonb`, `text`)
    /// gives its text's UTF-8 bytes.
    public init?(postgresText text: String, type: UInt32) {
        if type == PostgresTypeOID.bytea || (type == 0 && text.hasPrefix("\\x")) {
            guard let bytes = Self.bytes(fromHex: text) else { return nil }
            self = bytes
        } else {
            self = Data(text.utf8)
        }
    }

    private static func bytes(fromHex text: String) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"),
            utf8.count % 2 == 0
        else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Reads a one-dimensional array (`{1,2,NaN}`, `{"a b",c}`). Fails on
    /// NULL elements and on multi-dimensional arrays.
    public init?(postgresText text: String, type: UInt32) {
        guard let elements = PostgresArrayLiteral.parse(text) else { return nil }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element, let value = Element(postgresText: element, type: 0) else { return nil }
            values.append(value)
        }
        self = values
    }
}
