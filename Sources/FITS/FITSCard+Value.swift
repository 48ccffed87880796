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
