import Imaging

/// Finds dead and cold pixels: after the background is subtracted, nothing
/// on the sky dips far below it, so a pixel more than `sigma` below the sky
/// (and its neighbours more than half that) is a detector defect. Left in a
/// reference, one shows up as a bright "source" in every difference.
enum DeadPixelMask {
    /// Flags, repairs and marks cold pixels in a background-subtracted image.
    @discardableResult
    static func apply(_ image: inout Image<Float>, rms: Image<Float>, mask: inout Image<MaskBits>, sigma: Float = 6) -> Int {
        let w = image.width, h = image.height
        var flagged = [Bool](repeating: false, count: w * h)
        var seeds: [Int] = []
        for i in 0..<image.count where image.pixels[i] < -sigma * rms.pixels[i] && mask.pixels[i].isDisjoint(with: [.noData, .saturated]) {
            flagged[i] = true
            seeds.append(i)
        }
        guard !seeds.isEmpty else { return 0 }
        for i in seeds {
            let x = i % w, y = i / w
            for yy in max(0, y - 1)...min(h - 1, y + 1) {
                for xx in max(0, x - 1)...min(w - 1, x + 1) {
                    let j = yy * w + xx
                    if image.pixels[j] < -0.5 * sigma * rms.pixels[j] { flagged[j] = true }
                }
            }
        }
        var count = 0
        for i in 0..<flagged.count where flagged[i] {
            image.pixels[i] = CosmicRayMask.repairValue(image, flagged: flagged, at: i)
            mask.pixels[i].formUnion([.bad, .interpolated])
            count += 1
        }
        return count
    }
}
