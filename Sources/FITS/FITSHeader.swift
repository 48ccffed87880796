import Foundation

/// One 80-character header card, split into its fields.
public struct FITSCard: Sendable, Hashable {
    /// The keyword, e.g. `EXPTIME`; for `HIERARCH` cards the name after `HIERARCH`.
    public let keyword: String
    /// The value exactly as written in the card, without surrounding blanks:
    /// strings keep their quotes (`'RA---TAN'`), logicals are `T`/`F`.
    /// Empty for commentary cards (`COMMENT`, `HISTORY`, blank keyword) and
    /// for keywords without a value.
    public let valueText: String
    /// The comment after `/`; for commentary cards, the text in columns 9–80.
    /// Trailing blanks are removed.
    public let comment: String
    /// The whole card, 80 characters.
    public let text: String

    /// A card with the given fields.
    public init(keyword: String, valueText: String, comment: String, text: String) {
        self.keyword = keyword
        self.valueText = valueText
        self.comment = comment
        self.text = text
    }
}

/// The header of one HDU: every card in order, typed look-ups, and the raw
/// card text WCSLIB parses.
///
/// For a tile-compressed image this is the header of the *uncompressed* image
/// (CFITSIO's `fits_convert_hdr2str`): `BITPIX`, `NAXISn` and the WCS keys
/// appear as in the original image, not the `ZBITPIX`/`ZNAXISn` table keys.
///
/// Look-ups upper-case the keyword and use its first occurrence, as CFITSIO does.
public struct FITSHeader: Sendable {
    /// The file the header was read from (path or label); errors name it.
    public let file: String
    /// The 0-based HDU index the header belongs to, when known.
    public let hduIndex: Int?
    /// Every card except `END`, in file order.
    public let cards: [FITSCard]
    /// The header as one string of 80-character cards ending with the `END`
    /// card, no separators or NUL: the form WCSLIB's `wcspih` takes. Bytes
    /// outside printable ASCII are replaced by `?` so each card stays 80 bytes.
    public let rawCards: String
    /// The number of cards in ``rawCards``, `END` included (`rawCards.utf8.count / 80`);
    /// pass it as `wcspih`'s `nkeyrec`.
    public let cardCount: Int
    /// Index into `cards` of each keyword's first card.
    private let firstCard: [String: Int]

    /// A header from cards already split; ``FITSFile/header(hdu:)`` builds these.
    init(file: String, hduIndex: Int?, cards: [FITSCard], rawCards: String) {
        self.file = file
        self.hduIndex = hduIndex
        self.cards = cards
        self.rawCards = rawCards
        self.cardCount = rawCards.utf8.count / 80
        var first: [String: Int] = [:]
        for (index, card) in cards.enumerated() where first[card.keyword] == nil {
            first[card.keyword] = index
        }
        self.firstCard = first
    }

    /// The first card with `keyword`, or `nil`.
    public func card(_ keyword: String) -> FITSCard? {
        firstCard[keyword.uppercased()].map { cards[$0] }
    }

    /// Whether a card with `keyword` exists.
    public func contains(_ keyword: String) -> Bool {
        firstCard[keyword.uppercased()] != nil
    }

    /// The value of `keyword` as a real number, or `nil` when absent or not an
    /// integer or real literal (a `D` exponent is accepted).
    public func double(_ keyword: String) -> Double? {
        card(keyword).flatMap { FITSValueText.double($0.valueText) }
    }

    /// The value of `keyword` as an integer, or `nil` when absent or not an
    /// integer literal (`512.` is a real, not an integer: use ``double(_:)``).
    public func int(_ keyword: String) -> Int? {
        card(keyword).flatMap { FITSValueText.int($0.valueText) }
    }

    /// The value of `keyword` as a string without quotes, `''` unescaped and
    /// trailing blanks removed; long strings continued on `CONTINUE` cards are
    /// joined. `nil` when absent or not a string.
    public func string(_ keyword: String) -> String? {
        guard let index = firstCard[keyword.uppercased()],
              var text = FITSValueText.string(cards[index].valueText) else { return nil }
        var next = index + 1
        while text.hasSuffix("&"), next < cards.count, cards[next].keyword == "CONTINUE",
              let more = FITSValueText.string(cards[next].valueText) {
            text = String(text.dropLast()) + more
            next += 1
        }
        return text
    }

    /// The value of `keyword` as a logical, or `nil` when absent or not `T`/`F`.
    public func bool(_ keyword: String) -> Bool? {
        card(keyword).flatMap { FITSValueText.bool($0.valueText) }
    }

    /// The value of `keyword` as a real number.
    /// - Throws: ``FITSError/Code/missingKey`` or ``FITSError/Code/invalidKeyValue``, naming the key and file.
    public func requireDouble(_ keyword: String) throws -> Double {
        try require(keyword, "a real number", double)
    }

    /// The value of `keyword` as an integer.
    /// - Throws: ``FITSError/Code/missingKey`` or ``FITSError/Code/invalidKeyValue``, naming the key and file.
    public func requireInt(_ keyword: String) throws -> Int {
        try require(keyword, "an integer", int)
    }

    /// The value of `keyword` as a string.
    /// - Throws: ``FITSError/Code/missingKey`` or ``FITSError/Code/invalidKeyValue``, naming the key and file.
    public func requireString(_ keyword: String) throws -> String {
        try require(keyword, "a string", string)
    }

    /// The value of `keyword` as a logical.
    /// - Throws: ``FITSError/Code/missingKey`` or ``FITSError/Code/invalidKeyValue``, naming the key and file.
    public func requireBool(_ keyword: String) throws -> Bool {
        try require(keyword, "a logical (T or F)", bool)
    }

    private func require<T>(_ keyword: String, _ kind: String, _ lookup: (String) -> T?) throws -> T {
        let key = keyword.uppercased()
        let place = hduIndex.map { "the header of HDU \($0)" } ?? "the header"
        guard let card = card(key) else {
            throw FITSError(.missingKey, file: file, problem: "\(place) has no keyword \(key)", key: key)
        }
        guard let value = lookup(key) else {
            let shown = card.valueText.isEmpty ? "no value" : "the value \(card.valueText)"
            throw FITSError(.invalidKeyValue, file: file,
                            problem: "keyword \(key) in \(place) has \(shown), which is not \(kind)", key: key)
        }
        return value
    }
}

/// Typed reading of a card's value text, following the FITS standard's
/// fixed-format literals (section 4.2).
enum FITSValueText {
    static func string(_ text: String) -> String? {
        guard text.count >= 2, text.first == "'", text.last == "'" else { return nil }
        let inner = text.dropFirst().dropLast().replacingOccurrences(of: "''", with: "'")
        return inner.trimmingTrailingSpaces()
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "T": true
        case "F": false
        default: nil
        }
    }

    static func int(_ text: String) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }) else {
            return nil
        }
        return Int(text)
    }

    static func double(_ text: String) -> Double? {
        let allowed = Set("0123456789+-.EeDd")
        guard !text.isEmpty, text.allSatisfy(allowed.contains), text.contains(where: \.isNumber) else {
            return nil
        }
        let normalised = text.replacingOccurrences(of: "D", with: "E").replacingOccurrences(of: "d", with: "E")
        return Double(normalised)
    }
}
