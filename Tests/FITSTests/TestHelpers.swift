import FITS
import Foundation
import TestSupport

/// Summary statistics of an image's non-NaN pixels, computed as numpy does
/// for `pixel-stats.csv`: mean accumulated in Double, median the average of
/// the two middle values when the count is even.
struct PixelStats {
    let mean: Double
    let median: Double
    let min: Double
    let max: Double

    init(_ pixels: [Float]) {
        // Order-preserving integer keys let the median be selected in linear
        // time; sorting a million floats in a debug build takes seconds.
        let keys = pixels.filter { !$0.isNaN }.map(Self.sortKey)
        precondition(!keys.isEmpty, "no pixels")
        var sum = 0.0
        for key in keys { sum += Double(Self.value(key)) }
        mean = sum / Double(keys.count)
        let middle = keys.count / 2
        let upper = Double(Self.value(Self.select(middle, in: keys)))
        median = keys.count.isMultiple(of: 2)
            ? (Double(Self.value(Self.select(middle - 1, in: keys))) + upper) / 2
            : upper
        min = Double(Self.value(keys.min()!))
        max = Double(Self.value(keys.max()!))
    }

    /// Maps a float to an unsigned key with the same order (negatives flipped).
    static func sortKey(_ value: Float) -> UInt32 {
        let bits = value.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    static func value(_ key: UInt32) -> Float {
        Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }

    /// The `rank`-th smallest key (0-based): a histogram of the high 16 bits
    /// finds its bucket, a second one of the low 16 bits within it.
    static func select(_ rank: Int, in keys: [UInt32]) -> UInt32 {
        var high = [Int](repeating: 0, count: 65536)
        for key in keys { high[Int(key >> 16)] += 1 }
        var (bucket, below) = (0, 0)
        while below + high[bucket] <= rank { below += high[bucket]; bucket += 1 }
        var low = [Int](repeating: 0, count: 65536)
        for key in keys where Int(key >> 16) == bucket { low[Int(key & 0xFFFF)] += 1 }
        var slot = 0
        while below + low[slot] <= rank { below += low[slot]; slot += 1 }
        return UInt32(bucket) << 16 | UInt32(slot)
    }
}

/// A scratch folder for one test, removed when the value is dropped.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = try SharedData.temporaryDirectory("nocturne-fits")
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Builds FITS bytes by hand, for shapes the writer refuses to make (cubes,
/// header-only files): cards padded to 80 characters and the header and data
/// each padded to 2880-byte blocks.
func handMadeFITS(cards: [String], data: [UInt8] = []) -> Data {
    var header = (cards + ["END"]).map { $0.padding(toLength: 80, withPad: " ", startingAt: 0) }.joined()
    header += String(repeating: " ", count: (2880 - header.utf8.count % 2880) % 2880)
    var bytes = Array(header.utf8) + data
    bytes += [UInt8](repeating: 0, count: (2880 - data.count % 2880) % 2880)
    return Data(bytes)
}

/// A card `KEYWORD = value` with the value right-aligned in columns 11-30.
func fixedCard(_ keyword: String, _ value: String) -> String {
    keyword.padding(toLength: 8, withPad: " ", startingAt: 0) + "= "
        + String(repeating: " ", count: max(0, 20 - value.count)) + value
}

/// The m13 image in its five encodings, uncompressed first.
let m13Encodings = ["m13.fits", "m13_rice.fits", "m13_gzip.fits", "m13_hcomp.fits", "m13_plio.fits"]

func m13(_ name: String) -> String {
    SharedData.real("m13-compressed/\(name)").path
}
