import Differencing
import Evaluation
import Imaging

/// Static sources of a field placed on its reference grid, for explaining
/// false candidates.
enum BenchSources {
    static func positions(_ sources: [NightTruth.Source],
                          in reference: PreparedReference) throws -> [(source: NightTruth.Source, position: PixelPoint)] {
        guard !sources.isEmpty else { return [] }
        let pixels = try reference.wcs.skyToArrayPixel(ras: sources.map(\.ra), decs: sources.map(\.dec))
        return sources.indices.compactMap { i in
            let p = PixelPoint(x: pixels.xs[i], y: pixels.ys[i])
            return p.x.isFinite && p.y.isFinite ? (sources[i], p) : nil
        }
    }
}
