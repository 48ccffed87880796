extension FITSCard {
    /// The card's value with its FITS type: a quoted string, `T`/`F`, an
    /// integer, or a real (with `D` exponents accepted). Nil for commentary
    /// cards, keywords without a value, and values of other kinds (complex).
    /// Long strings continued on `CONTINUE` cards are not joined here; use
    /// ``FITSHeader/string(_:)`` for those.
    public var value: FITSValue? {
        if let text = FITSValueText.string(valueText) { return .string(text) }
        if let flag = FITSValueText.bool(valueText) { return .bool(flag) }
        if let integer = FITSValueText.int(valueText) { return .int(integer) }
        if let real = FITSValueText.double(valueText) { return .double(real) }
        return nil
    }
}

extension FITSCard {
    /// The card as something ``FITSFile/writeImage(_:header:compression:)``
    /// can write: keyword, typed value and comment. Nil for commentary cards
    /// and values of other kinds.
    public var keyValue: FITSKeyValue? {
        guard let value else { return nil }
        return FITSKeyValue(keyword, value, comment: comment)
    }
}

extension FITSHeader {
    /// A header from card text that did not come from a file, such as the WCS
    /// cards WCSLIB writes: concatenated 80-character cards, with or without
    /// the END card. `file` names the source in errors.
    public init(parsing cardText: String, file: String) throws {
        var text = cardText
        let remainder = text.utf8.count % 80
        if remainder != 0 { text += String(repeating: " ", count: 80 - remainder) }
        let cards = try FITSCardParser.parseCards(text, file: file)
        let end = "END" + String(repeating: " ", count: 77)
        let raw = cards.map(\.text).joined() + end
        self.init(file: file, hduIndex: nil, cards: cards, rawCards: raw)
    }

    /// Every valued card as ``FITSKeyValue``, in order, for writing elsewhere
    /// (e.g. a difference image carrying its reference's WCS). Commentary
    /// cards are left out.
    public var keyValues: [FITSKeyValue] { cards.compactMap(\.keyValue) }
}
