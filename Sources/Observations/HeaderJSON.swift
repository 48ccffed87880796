import FITS
import Foundation

/// Turns a FITS header into the JSON object stored in `observations.header`.
enum HeaderJSON {
    /// Keyword → typed value. Strings keep long-string continuations joined;
    /// COMMENT and HISTORY become arrays of their texts; blank keywords and
    /// END are left out; a keyword repeated keeps its first value, as
    /// CFITSIO's look-ups do. Keys are sorted, so the text is deterministic.
    static func encode(_ header: FITSHeader) -> String {
        var object: [String: Any] = [:]
        var commentary: [String: [String]] = [:]
        for card in header.cards where !card.keyword.isEmpty && card.keyword != "CONTINUE" {
            if card.keyword == "COMMENT" || card.keyword == "HISTORY" {
                commentary[card.keyword, default: []].append(card.comment)
                continue
            }
            guard object[card.keyword] == nil else { continue }
            switch card.value {
            case .string?: object[card.keyword] = header.string(card.keyword) ?? ""
            case .bool(let flag)?: object[card.keyword] = flag
            case .int(let integer)?: object[card.keyword] = integer
            case .double(let real)?: object[card.keyword] = real.isFinite ? real : String(real)
            case nil: object[card.keyword] = card.valueText.isEmpty ? NSNull() : card.valueText
            }
        }
        for (key, texts) in commentary { object[key] = texts }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
