/// Checks and formats header cards before CFITSIO writes them.
enum FITSCardWriter {
    /// Keywords CFITSIO derives from the image or the compression; writing
    /// them by hand would change how the data are read back.
    private static let reserved: Set<String> = [
        "SIMPLE", "XTENSION", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "END",
        "BSCALE", "BZERO", "BLANK", "TFIELDS", "THEAP", "CHECKSUM", "DATASUM",
        "COMMENT", "HISTORY", "CONTINUE",
        "ZIMAGE", "ZCMPTYPE", "ZBITPIX", "ZNAXIS", "ZMASKCMP", "ZSIMPLE", "ZTENSION", "ZEXTEND",
        "ZBLOCKED", "ZPCOUNT", "ZGCOUNT", "ZHECKSUM", "ZDATASUM", "ZQUANTIZ", "ZDITHER0",
        "ZBLANK", "ZSCALE", "ZZERO",
    ]
    /// Indexed families (`NAXIS1`, `ZTILE2`, ...), reserved for the same reason.
    private static let reservedPrefixes = ["NAXIS", "ZNAXIS", "ZTILE", "ZNAME", "ZVAL", "TTYPE", "TFORM"]

    /// The card with its keyword upper-cased, or an ``FITSError/Code/invalidHeaderCard`` error naming `file`.
    static func validated(_ card: FITSKeyValue, file: String) throws -> FITSKeyValue {
        var card = card
        card.keyword = card.keyword.uppercased()
        let keyword = card.keyword
        func refuse(_ why: String) -> FITSError {
            FITSError(.invalidHeaderCard, file: file, problem: "cannot write keyword \(keyword): \(why)", key: keyword)
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard (1...8).contains(keyword.count), keyword.allSatisfy(allowed.contains) else {
            throw refuse("a keyword has 1 to 8 characters from A-Z, 0-9, '-' and '_'")
        }
        if isReserved(keyword) {
            throw refuse("it describes the data layout and is written by CFITSIO")
        }
        guard isPrintableASCII(card.comment) else { throw refuse("the comment has characters outside printable ASCII") }
        switch card.value {
        case .string(let text) where !isPrintableASCII(text):
            throw refuse("the string has characters outside printable ASCII")
        case .double(let number) where !number.isFinite:
            throw refuse("FITS headers cannot hold \(number)")
        default:
            return card
        }
    }

    /// The shortest text that reads back as exactly `value` (Swift's own
    /// round-trip formatting), with FITS's upper-case exponent: `60.0`, `1E-05`.
    static func text(of value: Double) -> String {
        "\(value)".uppercased()
    }

    /// `pixels` with NaNs replaced by a finite value that occurs nowhere in
    /// them, and that value; `nil` for integer pixels.
    static func replacingNaN<T: FITSPixel>(in pixels: [T]) -> ([T], T)? {
        if let values = pixels as? [Float] { return cast(replacingNaN(values)) }
        if let values = pixels as? [Double] { return cast(replacingNaN(values)) }
        return nil
    }

    /// Converts back to the caller's pixel type, which the `as?` above proved equal.
    private static func cast<F, T>(_ pair: ([F], F)) -> ([T], T)? {
        guard let values = pair.0 as? [T], let null = pair.1 as? T else { return nil }
        return (values, null)
    }

    private static func replacingNaN<F: BinaryFloatingPoint>(_ values: [F]) -> ([F], F) {
        var sentinel = -F.greatestFiniteMagnitude
        while values.contains(sentinel) { sentinel = sentinel.nextUp }
        return (values.map { $0.isNaN ? sentinel : $0 }, sentinel)
    }

    private static func isReserved(_ keyword: String) -> Bool {
        if reserved.contains(keyword) { return true }
        return reservedPrefixes.contains { prefix in
            keyword.hasPrefix(prefix) && keyword.count > prefix.count
                && keyword.dropFirst(prefix.count).allSatisfy(\.isNumber)
        }
    }

    private static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}
