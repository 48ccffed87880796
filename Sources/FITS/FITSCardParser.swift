import CFITSIO
import Foundation

/// Splits header text into cards with CFITSIO's own card parser, for files
/// read from disk and for card text from elsewhere (WCSLIB's `wcshdo`).
enum FITSCardParser {
    /// Splits 80-character cards into fields with CFITSIO's own card parser.
    static func parseCards(_ raw: String, file name: String) throws -> [FITSCard] {
        let width = Int(nocturne_fits_card_length())
        let bytes = Array(raw.utf8)
        var cards: [FITSCard] = []
        cards.reserveCapacity(bytes.count / width)
        var start = 0
        while start + width <= bytes.count {
            let text = String(decoding: bytes[start..<(start + width)], as: UTF8.self)
            start += width
            if text.hasPrefix("END     ") && text.dropFirst(3).allSatisfy({ $0 == " " }) { break }
            cards.append(try parseCard(text, file: name))
        }
        return cards
    }

    /// Splits one card. A card CFITSIO cannot split (say, a string without its
    /// closing quote) is kept with everything after `= ` as its value text and
    /// no comment, so one malformed card does not hide the rest of the header.
    static func parseCard(_ text: String, file name: String) throws -> FITSCard {
        var keyword = [CChar](repeating: 0, count: Int(FLEN_CARD))
        var value = [CChar](repeating: 0, count: Int(FLEN_CARD))
        var comment = [CChar](repeating: 0, count: Int(FLEN_CARD))
        var keywordLength: Int32 = 0
        var card = Array(text.utf8CString)
        try CFITSIOStatus.run(file: name, operation: "reading the keyword of card '\(text)'") { status in
            ffgknm(&card, &keyword, &keywordLength, &status)
        }
        // ffpsvc treats CONTINUE as commentary; under a stand-in keyword with a
        // value indicator the same parser splits its string and comment.
        if text.hasPrefix("CONTINUE  ") {
            card = Array(("CONTVALU= " + text.dropFirst(10)).utf8CString)
        }
        do {
            try CFITSIOStatus.run(file: name, operation: "parsing card '\(text)'") { status in
                ffpsvc(&card, &value, &comment, &status)
            }
        } catch {
            let field = text.dropFirst(10).trimmingCharacters(in: .whitespaces)
            return FITSCard(keyword: decodeCString(keyword), valueText: field, comment: "", text: text)
        }
        return FITSCard(keyword: decodeCString(keyword), valueText: decodeCString(value),
                        comment: decodeCString(comment).trimmingTrailingSpaces(), text: text)
    }
}
