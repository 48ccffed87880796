import Differencing
import Evaluation
import Imaging

/// Static sources of a field placed on its reference grid, for explaining
/// false candidates (``Scorer``).
public enum NightSources {
    /// The sources that land on the reference, with their array positions.
    public static func positions(_ sources: [NightTruth.Source],
                                 in reference: PreparedReference) throws -> [(source: NightTruth.Source, position: PixelPoint)] {
        guard !sources.isEmpty else { return [] }
        let pixels = try reference.wcs.skyToArrayPixel(ras: sources.map(\.ra), decs: sources.map(\.dec))
        return sources.indices.compactMap { i in
            let p = PixelPoint(x: pixels.xs[i], y: pixels.ys[i])
            return p.x.isFinite && p.y.isFinite ? (sources[i], p) : nil
        }
    }

    /// Inside the image and away from its border and the science image's
    /// missing overlap (where ZOGY marks `.edge`/`.noData`).
    public static func inFootprint(_ p: PixelPoint, mask: Image<MaskBits>) -> Bool {
        let x = Int(p.x.rounded()), y = Int(p.y.rounded())
        return mask.contains(x: x, y: y) && mask[x, y].isDisjoint(with: [.edge, .noData])
    }
}
