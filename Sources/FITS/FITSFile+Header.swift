import CFITSIO
import Foundation

extension FITSFile {
    /// The header of HDU `hdu` (0-based), or of the first 2-D image when `nil`.
    ///
    /// Moves the current HDU there. For a tile-compressed image the header is
    /// converted to that of the uncompressed image (`fits_convert_hdr2str`), so
    /// WCS keys and `NAXISn` read as they would from an uncompressed copy.
    public func header(hdu: Int? = nil) throws -> FITSHeader {
        let index = try hdu.map { try moveToHDU($0).index } ?? moveToFirstImage().index
        let raw = try currentHeaderText()
        return try FITSHeader(file: name, hduIndex: index, cards: parseCards(raw), rawCards: raw)
    }

    /// The current HDU's cards as one string, END card included.
    private func currentHeaderText() throws -> String {
        var text: UnsafeMutablePointer<CChar>?
        var count: Int32 = 0
        try call("reading the header") { pointer, status in
            ffcnvthdr2str(pointer, 0, nil, 0, &text, &count, &status)
        }
        guard let text else { return "" }
        defer {
            // CFITSIO allocated the string; only its own fffree may release it.
            var status: Int32 = 0
            fffree(text, &status)
        }
        let length = Int(count) * Int(nocturne_fits_card_length())
        let bytes = UnsafeRawBufferPointer(start: text, count: length)
        // Only printable ASCII is legal in a header; anything else becomes "?"
        // so that every card keeps its 80 bytes in the Swift string.
        let cleaned = bytes.prefix { $0 != 0 }.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: cleaned, as: UTF8.self)
    }

    /// Splits 80-character cards into fields with CFITSIO's own card parser.
    private func parseCards(_ raw: String) throws -> [FITSCard] {
        let width = Int(nocturne_fits_card_length())
        let bytes = Array(raw.utf8)
        var cards: [FITSCard] = []
        cards.reserveCapacity(bytes.count / width)
        var start = 0
        while start + width <= bytes.count {
            let text = String(decoding: bytes[start..<(start + width)], as: UTF8.self)
            start += width
            if text.hasPrefix("END     ") && text.dropFirst(3).allSatisfy({ $0 == " " }) { break }
            cards.append(try parseCard(text))
        }
        return cards
    }

    /// Splits one card. A card CFITSIO cannot split (say, a string without its
    /// closing quote) is kept with everything after `= ` as its value text and
    /// no comment, so one malformed card does not hide the rest of the header.
    private func parseCard(_ text: String) throws -> FITSCard {
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
