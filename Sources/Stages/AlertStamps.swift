import FITS
import Foundation
import Picture
import Pixels
import Store

/// A candidate's three stamps for people (one PNG: science, reference and
/// difference side by side, zoomed ×3) and for programs (one FITS file per
/// stamp, float32, written by CFITSIO), base64 in the alert's JSON.
enum AlertStamps {
    /// `{"png": …, "fits": {"science": …, "reference": …, "difference": …}}`, or nil without stamps.
    static func encoded(_ c: CandidateRecord?) -> [String: Any]? {
        guard let c, c.stampSize > 0 else { return nil }
        let images = [c.stampScience, c.stampReference, c.stampDifference].map { image($0, side: c.stampSize) }
        var panels = Panels()
        for (n, image) in images.enumerated() { panels.add(image, asinh: n < 2, zoom: 3) }
        var fits: [String: String] = [:]
        for (name, image) in zip(["science", "reference", "difference"], images) {
            if let data = try? fitsData(image) { fits[name] = data.base64EncodedString() }
        }
        return ["png": panels.png().base64EncodedString(), "fits": fits, "size": c.stampSize]
    }

    static func image(_ data: Data, side: Int) -> Image<Float> {
        let pixels: [Float] = data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return Image(width: side, height: side, pixels: pixels.count == side * side ? pixels : [Float](repeating: .nan, count: side * side))
    }

    /// CFITSIO writes files, so the stamp goes through a temporary one.
    static func fitsData(_ image: Image<Float>) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-stamp-\(UUID().uuidString).fits").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FITSFile.write(image, to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
