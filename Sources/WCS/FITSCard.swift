/// Formats single 80-character FITS header cards (`KEYWORD = value / comment`)
/// for the headers this module writes.
enum FITSCard {
    /// A card with a real value, written with the shortest digits that read
    /// back to exactly the same `Double`, so a header round trip loses nothing.
    static func real(_ keyword: String, _ value: Double, _ comment: String = "") -> String {
        precondition(value.isFinite, "FITS header value \(keyword) must be finite, got \(value)")
        return card(keyword, value: rightJustified(fitsReal(value)), comment: comment)
    }

    /// A card with an integer value.
    static func integer(_ keyword: String, _ value: Int, _ comment: String = "") -> String {
        card(keyword, value: rightJustified(String(value)), comment: comment)
    }

    /// A card with a string value, quoted and padded to at least 8 characters
    /// as the standard asks. Quotes inside are doubled.
    static func string(_ keyword: String, _ value: String, _ comment: String = "") -> String {
        let escaped = value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
        let padded = escaped.count < 8 ? escaped + String(repeating: " ", count: 8 - escaped.count) : escaped
        let quoted = "'\(padded)'"
        let field = quoted.count < 20 ? quoted + String(repeating: " ", count: 20 - quoted.count) : quoted
        return card(keyword, value: field, comment: comment)
    }

    /// Keyword in columns 1-8, "= " in 9-10, the value field, then the
    /// comment, cut or padded to exactly 80 characters.
    private static func card(_ keyword: String, value: String, comment: String) -> String {
        precondition(keyword.count <= 8 && keyword.allSatisfy(\.isASCII), "bad FITS keyword '\(keyword)'")
        var text = keyword + String(repeating: " ", count: 8 - keyword.count) + "= " + value
        if !comment.isEmpty { text += " / " + comment }
        let ascii = String(text.map { $0.isASCII ? $0 : "?" })
        return ascii.count >= 80
            ? String(ascii.prefix(80))
            : ascii + String(repeating: " ", count: 80 - ascii.count)
    }

    /// Fixed-format numbers end in column 30: right-justified in 20 characters.
    private static func rightJustified(_ value: String) -> String {
        value.count >= 20 ? value : String(repeating: " ", count: 20 - value.count) + value
    }

    /// Swift's shortest round-trip form, made FITS-legal: FITS wants an
    /// upper-case exponent letter, and a decimal point keeps readers from
    /// taking a whole number for an integer.
    private static func fitsReal(_ value: Double) -> String {
        let text = "\(value)".uppercased()
        let parts = text.split(separator: "E", maxSplits: 1)
        var mantissa = String(parts[0])
        if !mantissa.contains(".") { mantissa += ".0" }
        return parts.count == 2 ? "\(mantissa)E\(parts[1])" : mantissa
    }
}
