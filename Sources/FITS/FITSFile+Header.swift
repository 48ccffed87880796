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
        return try FITSHeader(file: name, hduIndex: index, cards: FITSCardParser.parseCards(raw, file: name), rawCards: raw)
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

}
