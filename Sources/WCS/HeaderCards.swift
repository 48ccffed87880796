/// A FITS header as the flat run of 80-byte cards WCSLIB's parser expects,
/// checked before WCSLIB sees it.
struct HeaderCards {
    /// The card bytes, without a terminating NUL; `bytes.count == count * 80`.
    var bytes: [CChar]
    /// The number of 80-character cards.
    let count: Int

    /// Validates `header`: it must be whole 80-character cards of printable
    /// ASCII, as `ffhdr2str` produces. Trailing NULs are dropped. A header that
    /// breaks this would make WCSLIB read cards shifted by a few characters,
    /// so it is an error here rather than a garbled parse later.
    init(_ header: String, fileName: String?) throws(WCSError) {
        var utf8 = Array(header.utf8)
        while utf8.last == 0 { utf8.removeLast() }
        if let bad = utf8.firstIndex(where: { $0 < 0x20 || $0 > 0x7E }) {
            throw WCSError.invalidHeader(
                "character \(bad) (card \(bad / 80 + 1)) is not printable ASCII; "
                    + "expected 80-character FITS cards without separators", fileName: fileName)
        }
        guard utf8.count % 80 == 0 else {
            throw WCSError.invalidHeader(
                "length \(utf8.count) is not a whole number of 80-character cards", fileName: fileName)
        }
        bytes = utf8.map { CChar(bitPattern: $0) }
        count = utf8.count / 80
    }

    /// The image axis lengths `NAXIS1...NAXISn`, or `ZNAXIS1...` for a
    /// tile-compressed image (whose `NAXISn` describe the binary table), or nil
    /// when any of the first `count` is missing. `cylfix` needs them.
    func axisLengths(count axes: Int) -> [Int32]? {
        var plain: [Int: Int32] = [:]
        var compressed: [Int: Int32] = [:]
        for card in 0..<count {
            let record = bytes[(card * 80)..<(card * 80 + 80)].map { UInt8(bitPattern: $0) }
            let keyword = String(decoding: record[0..<8], as: UTF8.self).trimmingTrailingSpaces()
            guard record[8] == UInt8(ascii: "="), let length = Self.integerValue(record) else { continue }
            if keyword.hasPrefix("ZNAXIS"), let axis = Int(keyword.dropFirst(6)) {
                compressed[axis] = length
            } else if keyword.hasPrefix("NAXIS"), let axis = Int(keyword.dropFirst(5)) {
                plain[axis] = length
            }
        }
        let source = compressed.isEmpty ? plain : compressed
        let lengths = (1...max(axes, 1)).compactMap { source[$0] }
        return lengths.count == axes ? lengths : nil
    }

    /// The integer value of a `KEYWORD = value / comment` card, if it is one.
    private static func integerValue(_ record: [UInt8]) -> Int32? {
        let value = record[10...].prefix { $0 != UInt8(ascii: "/") }
        let text = String(decoding: value, as: UTF8.self).trimmingCharacters(" ")
        return Int32(text)
    }
}

extension String {
    func trimmingCharacters(_ character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
