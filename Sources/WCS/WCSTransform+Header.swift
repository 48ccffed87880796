import CWCSLIB

extension WCSTransform {
    /// The current WCS written back as FITS header cards by WCSLIB's `wcshdo`.
    ///
    /// Returns concatenated 80-character cards without `END`, holding only WCS
    /// keywords (plus blank and `COMMENT` cards wcshdo adds) in standard form: legacy CROTA/CDELT come out as PC +
    /// CDELT, a CD header as PC with unit CDELT, while SIP and TPV keep their
    /// native keywords. Reals are written with 17 significant digits so
    /// parsing the result gives the same mapping. The WCSLIB buffer is freed
    /// here; the caller owns the returned string.
    /// - Throws: ``WCSError/invalidParameters`` with WCSLIB's message.
    public func headerCards() throws(WCSError) -> String {
        try withWCS { (wcs) throws(WCSError) in
            var count: Int32 = 0
            var header: UnsafeMutablePointer<CChar>?
            let status = wcshdo(WCSHDO_safe | WCSHDO_P17, wcs, &count, &header)
            defer { wcsdealloc(header) }
            try WCSError.check(status, from: .wcshdo, detail: wcs.pointee.err, fileName: fileName)
            guard let header, count > 0 else { return "" }
            let bytes = UnsafeRawBufferPointer(start: header, count: Int(count) * 80)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
