import Foundation
import Imaging

/// Finds cosmic rays and hot pixels: pixels sharper than the image's own PSF
/// allows.
///
/// For a star of FWHM f (σ = f / 2.3548) centred anywhere within its
/// brightest pixel, the dimmest of that pixel's 4 neighbours holds at least
/// exp(−(1.5² − 0.5²) / 2σ²) of it (worst case: the star at the pixel's
/// edge; a Gaussian bounds the Moffat from below). A cosmic ray's edge pixel
/// has a neighbour at sky level, far below that.
///
/// Tracks and blobs are peeled from their edges: each pass repairs the
/// pixels it flags, which exposes the next ones for the following pass.
enum CosmicRayMask {
    /// Flags, repairs and marks sharp defects in a background-subtracted
    /// image. Returns the number of pixels flagged.
    ///
    /// - Parameters:
    ///   - psf: the image's PSF; its 4-neighbour/centre ratio sets the
    ///     sharpest thing a star can be.
    ///   - gain: e⁻/ADU, for source noise in the significance test.
    @discardableResult
    static func apply(_ image: inout Image<Float>, rms: Image<Float>, mask: inout Image<MaskBits>,
                      psf: PSFModel, gain: Double?, parameters: PreprocessParameters) -> Int {
        let sigmaPSF = max(psf.fwhm, 1) / 2.3548
        let worstRatio = Float(exp(-2 / (2 * sigmaPSF * sigmaPSF)))
        let limit = Float(parameters.cosmicRaySharpness) * worstRatio
        let inverseGain = Float(1 / (gain ?? .infinity))
        let sigma = Float(parameters.cosmicRaySigma)
        let contrast = Float(parameters.cosmicRayContrastSigma)
        let w = image.width, h = image.height
        var candidates: [Int] = []
        for y in 1..<max(1, h - 1) {
            for x in 1..<max(1, w - 1) where image.pixels[y * w + x] > sigma * rms.pixels[y * w + x] {
                candidates.append(y * w + x)
            }
        }
        var flagged = [Bool](repeating: false, count: w * h)
        var total = 0
        for _ in 0..<parameters.cosmicRayIterations {
            var found: [Int] = []
            for i in candidates where !flagged[i] && mask.pixels[i].isDisjoint(with: [.noData, .saturated]) {
                let v = image.pixels[i]
                let dimmest = min(min(image.pixels[i - 1], image.pixels[i + 1]), min(image.pixels[i - w], image.pixels[i + w]))
                let noise = rms.pixels[i]
                let vNoise = (noise * noise + max(v, 0) * inverseGain).squareRoot()
                let nNoise = (noise * noise + max(dimmest, 0) * inverseGain).squareRoot()
                let deficit = limit * v - dimmest
                if deficit > contrast * (nNoise * nNoise + limit * limit * vNoise * vNoise).squareRoot() {
                    found.append(i)
                }
            }
            guard !found.isEmpty else { break }
            for i in found { flagged[i] = true }
            for i in found { image.pixels[i] = repairValue(image, flagged: flagged, at: i) }
            total += found.count
            candidates = neighbours(of: found, flagged: flagged, width: w, height: h)
        }
        markAndRepairHalo(&image, mask: &mask, flagged: flagged)
        return total
    }

    /// Flags and repairs soft cosmic-ray tracks (see ``CosmicRayTracks``).
    /// Run after trails are masked, so a trail's fragments are never taken
    /// for tracks. Returns the number of pixels flagged.
    @discardableResult
    static func applyTracks(_ image: inout Image<Float>, rms: Image<Float>, mask: inout Image<MaskBits>, psf: PSFModel,
                            parameters: PreprocessParameters) -> Int {
        var flagged = mask.pixels.map { $0.contains(.cosmicRay) }
        let count = CosmicRayTracks.flag(image, rms: rms, mask: mask, psf: psf, parameters: parameters, into: &flagged)
        if count > 0 { markAndRepairHalo(&image, mask: &mask, flagged: flagged) }
        return count
    }

    /// The unflagged interior pixels next to those just repaired: only they
    /// can have become sharp.
    private static func neighbours(of found: [Int], flagged: [Bool], width w: Int, height h: Int) -> [Int] {
        var next = Set<Int>()
        for i in found {
            let x = i % w, y = i / w
            for dy in -1...1 {
                for dx in -1...1 {
                    let xx = x + dx, yy = y + dy
                    guard xx > 0, yy > 0, xx < w - 1, yy < h - 1, !flagged[yy * w + xx] else { continue }
                    next.insert(yy * w + xx)
                }
            }
        }
        return next.sorted()
    }

    /// Flagged pixels and their 8 neighbours (charge spills into them) are
    /// marked and set to the median of the unflagged pixels around them.
    private static func markAndRepairHalo(_ image: inout Image<Float>, mask: inout Image<MaskBits>, flagged: [Bool]) {
        let w = image.width
        let halo = BoxDilation.dilate(flagged, width: w, height: image.height, radius: 1)
        for i in 0..<image.count where halo[i] {
            image.pixels[i] = repairValue(image, flagged: halo, at: i)
            mask.pixels[i].formUnion([.cosmicRay, .interpolated])
        }
    }

    /// A repair for the pixel at `index` from its unflagged neighbours: the
    /// mean of the 4 nearest when at least two are clean (closest to the
    /// truth on a star's core), else the median of the clean pixels in the
    /// 5×5 box, else 0 (the background).
    static func repairValue(_ image: Image<Float>, flagged: [Bool], at index: Int) -> Float {
        let w = image.width, x = index % w, y = index / w
        var sum: Float = 0, n: Float = 0
        for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            let xx = x + dx, yy = y + dy
            guard xx >= 0, yy >= 0, xx < w, yy < image.height, !flagged[yy * w + xx] else { continue }
            sum += image.pixels[yy * w + xx]
            n += 1
        }
        if n >= 2 { return sum / n }
        var values: [Float] = []
        values.reserveCapacity(24)
        for yy in max(0, y - 2)...min(image.height - 1, y + 2) {
            for xx in max(0, x - 2)...min(w - 1, x + 2) where !flagged[yy * w + xx] {
                values.append(image.pixels[yy * w + xx])
            }
        }
        return values.isEmpty ? 0 : RobustStatistics.medianInPlace(&values)
    }
}
