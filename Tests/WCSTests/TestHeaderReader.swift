import Foundation

/// Reads raw header cards out of a FITS file, for these tests only.
///
/// The FITS module will provide real header reading (through CFITSIO's
/// `fits_hdr2str`); on this branch it is still a placeholder, and `WCS` must not
/// depend on it anyway. A FITS file is a sequence of HDUs, each a header of
/// 2880-byte blocks of 80-character cards ending with `END`, then a data unit
/// padded to 2880 bytes; that is all this reader knows.
enum TestHeaderReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The header of HDU `index` (0 = primary) as concatenated 80-character
    /// cards up to and including `END`.
    static func header(of url: URL, hdu index: Int = 0) throws -> String {
        let data = try Data(contentsOf: url)
        var offset = 0
        for current in 0...index {
            let (cards, headerBytes) = try readHeader(data, at: offset, file: url.lastPathComponent)
            if current == index { return cards }
            offset += headerBytes + padded(dataSize(of: cards))
        }
        throw Failure(description: "\(url.lastPathComponent): no HDU \(index)")
    }

    /// The header that holds the image: the primary one, or for a
    /// tile-compressed file (empty primary, `NAXIS = 0`) the first extension,
    /// a binary table whose header still carries the image's WCS keywords.
    static func imageHeader(of url: URL) throws -> String {
        let primary = try header(of: url, hdu: 0)
        return integer("NAXIS", in: primary) == 0 ? try header(of: url, hdu: 1) : primary
    }

    /// The integer value of `keyword` in a header, if present.
    static func integer(_ keyword: String, in header: String) -> Int? {
        let bytes = Array(header.utf8)
        for start in stride(from: 0, to: bytes.count, by: 80) {
            let card = String(decoding: bytes[start..<min(start + 80, bytes.count)], as: UTF8.self)
            let name = card.prefix(8).trimmingCharacters(in: .whitespaces)
            guard name == keyword, card.dropFirst(8).hasPrefix("=") else { continue }
            let value = card.dropFirst(10).split(separator: "/", maxSplits: 1).first ?? ""
            return Int(value.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    private static func readHeader(_ data: Data, at start: Int, file: String) throws -> (String, Int) {
        var offset = start
        while offset + 80 <= data.count {
            let card = String(decoding: data[offset..<(offset + 80)], as: UTF8.self)
            offset += 80
            if card.hasPrefix("END") && card.dropFirst(3).allSatisfy({ $0 == " " }) {
                let text = String(decoding: data[start..<offset], as: UTF8.self)
                return (text, padded(offset - start))
            }
        }
        throw Failure(description: "\(file): no END card after byte \(start)")
    }

    /// Bytes in the data unit: |BITPIX|/8 * GCOUNT * (PCOUNT + NAXIS1 * ... * NAXISn).
    private static func dataSize(of header: String) -> Int {
        let axes = integer("NAXIS", in: header) ?? 0
        guard axes > 0 else { return 0 }
        let elements = (1...axes).reduce(1) { $0 * (integer("NAXIS\($1)", in: header) ?? 0) }
        let bytesPerElement = abs(integer("BITPIX", in: header) ?? 8) / 8
        let groups = integer("GCOUNT", in: header) ?? 1
        let heap = integer("PCOUNT", in: header) ?? 0
        return bytesPerElement * groups * (heap + elements)
    }

    private static func padded(_ size: Int) -> Int {
        (size + 2879) / 2880 * 2880
    }
}
