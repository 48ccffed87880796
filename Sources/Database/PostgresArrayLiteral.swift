/// PostgreSQL's one-dimensional array literal: `{a,"b c",NULL}`.
enum PostgresArrayLiteral {
    /// Quotes every element, escaping `\` and `"`, so no element text can be
    /// mistaken for a delimiter, whitespace to trim, or `NULL`.
    static func format(_ elements: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The elements of a one-dimensional array's text output; nil elements are
    /// SQL NULL. Returns nil for malformed text and for nested (multi-dimensional)
    /// arrays. Skips a leading bounds decoration such as `[0:2]=`.
    static func parse(_ text: String) -> [String?]? {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            bytes = bytes[(equals + 1)...]
        }
        guard bytes.popFirst() == UInt8(ascii: "{"), bytes.popLast() == UInt8(ascii: "}") else { return nil }
        if bytes.allSatisfy(isSpace) { return [] }
        var elements: [String?] = []
        while true {
            guard let element = parseElement(&bytes) else { return nil }
            elements.append(element)
            guard let separator = bytes.popFirst() else { return elements }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    /// One element up to (not including) the next `,` or the end; the outer
    /// optional is nil on malformed text, the inner on `NULL`.
    private static func parseElement(_ bytes: inout ArraySlice<UInt8>) -> String?? {
        while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
        var value: [UInt8] = []
        if bytes.first == UInt8(ascii: "\"") {
            bytes.removeFirst()
            while true {
                guard let byte = bytes.popFirst() else { return nil }
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = bytes.popFirst() else { return nil }
                    value.append(escaped)
                } else {
                    value.append(byte)
                }
            }
            while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
            return .some(String(decoding: value, as: UTF8.self))
        }
        var quotedAny = false
        while let byte = bytes.first, byte != UInt8(ascii: ",") {
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "\"") { return nil }
            bytes.removeFirst()
            if byte == UInt8(ascii: "\\") {
                guard let escaped = bytes.popFirst() else { return nil }
                value.append(escaped)
                quotedAny = true
            } else {
                value.append(byte)
            }
        }
        while let last = value.last, isSpace(last), !quotedAny { value.removeLast() }
        let text = String(decoding: value, as: UTF8.self)
        if text.isEmpty { return nil }
        if !quotedAny, text.uppercased() == "NULL" { return .some(nil) }
        return .some(text)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12
    }
}
