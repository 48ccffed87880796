import CWCSLIB

/// Makes WCSLIB fill in `wcsprm::err` with detailed messages. The switch is a
/// process-wide WCSLIB global and wcserr_enable is not thread-safe, so a
/// global `let` (initialized once, atomically) is the only caller.
private let detailedErrorsEnabled: Bool = {
    wcserr_enable(1)
    return true
}()

/// Owns the array of `wcsprm` structs that `wcspih` allocates and frees it with
/// `wcsvfree` in `deinit`; ``wcs`` points at the primary description inside it.
///
/// Not Sendable on purpose: WCSLIB writes into the struct not only in `wcsset`
/// but also while converting (`wcsp2s`/`wcss2p` re-run `wcsset` when flagged,
/// and the distortion code keeps scratch state), so a handle only ever lives
/// inside ``WCSTransform``'s mutex. Creating one needs no lock: each handle
/// has its own structs, and WCSLIB's header parser is reentrant (since 7.5).
final class WCSLIBHandle {
    private var structs: UnsafeMutablePointer<wcsprm>?
    private var count: Int32
    /// The primary (alternate ' ') coordinate description, inside `structs`.
    let wcs: UnsafeMutablePointer<wcsprm>
    /// Problems WCSLIB reported that do not affect the pixel-sky mapping.
    private(set) var warnings: [String] = []
    /// `CTYPEi` as parsed, before wcsfix: the repairs run wcsset, which
    /// rewrites TPV as TAN internally, and callers want to see the projection
    /// the header declared.
    private(set) var axisTypes: [String] = []

    /// Parses `header` (80-character cards) with `wcspih`, then repairs it with
    /// `wcsfixi` and prepares it with `wcsset`.
    init(header: String, fileName: String?) throws(WCSError) {
        _ = detailedErrorsEnabled
        var cards = try HeaderCards(header, fileName: fileName)
        var nreject: Int32 = 0
        var nwcs: Int32 = 0
        var parsed: UnsafeMutablePointer<wcsprm>?
        // relax = WCSHDR_all accepts the informal forms real headers carry
        // (CROTA, EPOCH, RADECSYS, SIP and TPV); ctrl = 0 keeps WCSLIB quiet.
        let status = cards.bytes.withUnsafeMutableBufferPointer { buffer in
            wcspih(buffer.baseAddress, Int32(cards.count), WCSHDR_all, 0, &nreject, &nwcs, &parsed)
        }
        do {
            try WCSError.check(status, from: .wcspih, fileName: fileName)
        } catch {
            wcsvfree(&nwcs, &parsed)
            throw error
        }
        let primary = Self.primaryIndex(count: nwcs, structs: &parsed)
        guard let parsed, let primary else {
            wcsvfree(&nwcs, &parsed)
            throw WCSError.noWCS(
                nwcs == 0 ? "no WCS keywords (CTYPEi, CRVALi, CRPIXi, CDi_j, ...)"
                    : "only alternate descriptions (CTYPEia with a letter); the primary one is missing",
                fileName: fileName)
        }
        structs = parsed
        count = nwcs
        wcs = parsed + primary
        // From here on a throw runs deinit, which frees `structs`.
        if nreject > 0 {
            warnings.append("WCSLIB rejected \(nreject) malformed WCS keyword(s); their defaults were used")
        }
        axisTypes = Self.readAxisTypes(of: wcs.pointee)
        try fix(axisLengths: cards.axisLengths(count: Int(wcs.pointee.naxis)), fileName: fileName)
        try WCSError.check(wcsset(wcs), from: .wcsset, detail: wcs.pointee.err, fileName: fileName)
        try requireCelestialAxes(fileName: fileName)
    }

    deinit {
        wcsvfree(&count, &structs)
    }

    /// The index of the primary (' ') description, or nil when the header has
    /// only alternates or nothing at all.
    private static func primaryIndex(count: Int32,
                                     structs: inout UnsafeMutablePointer<wcsprm>?) -> Int? {
        guard count > 0 else { return nil }
        // wcsidx fills one slot per alternate: ' ' first, then 'A' to 'Z'.
        var alternates = [Int32](repeating: -1, count: 27)
        _ = wcsidx(count, &structs, &alternates)
        return alternates[0] >= 0 ? Int(alternates[0]) : nil
    }

    /// Runs every wcsfix repair (cdfix, datfix, obsfix, unitfix, spcfix, celfix,
    /// cylfix). Failures of datfix and obsfix only concern dates and the
    /// observatory position, which the celestial mapping does not use, so they
    /// become ``warnings`` (as astropy makes them warnings) instead of errors.
    private func fix(axisLengths: [Int32]?, fileName: String?) throws(WCSError) {
        var stat = [Int32](repeating: 0, count: Int(NWCSFIX))
        var info = [wcserr](repeating: wcserr(), count: Int(NWCSFIX))
        // wcsfixi's own return only says "something failed"; the per-repair
        // statuses in `stat` and messages in `info` are checked below instead.
        // cylfix needs the image size; without it (nil) wcsfixi skips cylfix.
        if let axisLengths {
            _ = axisLengths.withUnsafeBufferPointer { wcsfixi(0, $0.baseAddress, wcs, &stat, &info) }
        } else {
            _ = wcsfixi(0, nil, wcs, &stat, &info)
        }
        defer { for entry in info { wcsdealloc(entry.msg) } }
        let names = ["cdfix", "datfix", "obsfix", "unitfix", "spcfix", "celfix", "cylfix"]
        for index in 0..<Int(NWCSFIX) where stat[index] > 0 {
            do {
                try withUnsafePointer(to: info[index]) { (entry) throws(WCSError) in
                    try WCSError.check(stat[index], from: .wcsfix(names[index]), detail: entry,
                                       fileName: fileName)
                }
            } catch where index == Int(DATFIX) || index == Int(OBSFIX) {
                warnings.append(error.message)
            }
        }
    }

    /// Refuses a description without an RA/Dec-like axis pair: WCSLIB would
    /// happily treat it as a linear identity, which would put every source at
    /// a meaningless "sky" position.
    private func requireCelestialAxes(fileName: String?) throws(WCSError) {
        guard wcs.pointee.lng >= 0, wcs.pointee.lat >= 0 else {
            let types = axisTypes.map { "'\($0)'" }
            throw WCSError.noWCS(
                "no celestial axis pair (CTYPE \(types.joined(separator: ", ")))", fileName: fileName)
        }
    }

    /// The `CTYPEi` strings of every axis, trailing blanks removed.
    private static func readAxisTypes(of description: wcsprm) -> [String] {
        (0..<Int(description.naxis)).map { axis in
            withUnsafeBytes(of: description.ctype[axis]) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            .trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
