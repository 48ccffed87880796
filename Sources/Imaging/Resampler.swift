/// An image, its per-pixel variance and its mask on one pixel grid: what
/// preprocessing hands to subtraction.
public struct MaskedImage: Sendable {
    /// Pixel values, background-subtracted by the time they reach ZOGY.
    public var image: Image<Float>
    /// Variance per pixel in image units², without source noise.
    public var variance: Image<Float>
    /// Why pixels are not to be trusted.
    public var mask: Image<MaskBits>

    /// Bundles the three; all must have the same size.
    public init(image: Image<Float>, variance: Image<Float>, mask: Image<MaskBits>) {
        precondition(image.width == variance.width && image.height == variance.height
                     && image.width == mask.width && image.height == mask.height, "MaskedImage planes differ in size")
        self.image = image
        self.variance = variance
        self.mask = mask
    }
}

/// Resamples an image onto another pixel grid with Lanczos-3, conserving
/// flux, and carries its variance and mask along.
///
/// Nocturne always resamples the science image onto the reference's grid
/// (never the other way), so every difference image of a field shares the
/// reference's pixels and WCS.
public enum Resampler {
    /// The science image on the reference grid.
    ///
    /// - Parameters:
    ///   - source: the image to resample (background-subtracted), with its
    ///     variance and mask.
    ///   - width, height: the output (reference) grid size.
    ///   - outputToSource: maps an output pixel to the source pixel it samples
    ///     (0-based), i.e. ``Registration/referenceToScience``.
    /// - Returns: the resampled planes. Values are multiplied by the Jacobian
    ///   of the map, so a source's total flux is unchanged. Output pixels
    ///   whose kernel meets an unusable source pixel (weight above 5%) inherit
    ///   its mask bits; pixels that sample outside the source are `.noData`.
    ///   Variance is Σ w² σ² (the noise becomes correlated, which the
    ///   subtraction accounts for by using the source's own noise level).
    public static func resample(_ source: MaskedImage, width: Int, height: Int,
                                outputToSource: PixelTransform) -> MaskedImage {
        var image = Image<Float>(width: width, height: height, repeating: 0)
        var variance = Image<Float>(width: width, height: height, repeating: 0)
        var mask = Image<MaskBits>(width: width, height: height, repeating: .good)
        let jacobian = Float(outputToSource.jacobianDeterminant(
            at: PixelPoint(x: Double(width) / 2, y: Double(height) / 2)))
        let cleaned = zeroingUnusable(source)
        let sampler = Sampler(source: cleaned, mask: source.mask)
        for y in 0..<height {
            for x in 0..<width {
                let (sx, sy) = outputToSource.evaluate(Double(x), Double(y))
                let sample = sampler.sample(x: sx, y: sy)
                let index = y * width + x
                image.pixels[index] = sample.value * jacobian
                variance.pixels[index] = sample.variance * jacobian * jacobian
                mask.pixels[index] = sample.mask
            }
        }
        return MaskedImage(image: image, variance: variance, mask: mask)
    }

    /// Unrepaired defects contribute zero (the background level) rather
    /// than their values, so a saturated core or unrepaired cosmic ray does
    /// not ring across the Lanczos kernel into good pixels. Interpolated
    /// pixels keep their repaired values.
    private static func zeroingUnusable(_ source: MaskedImage) -> MaskedImage {
        var cleaned = source
        for i in 0..<cleaned.image.count where source.mask.pixels[i].needsZeroing
            || source.image.pixels[i].isNaN {
            cleaned.image.pixels[i] = 0
        }
        return cleaned
    }

}

/// One Lanczos-3 sample of an image, its variance and its mask.
struct Sample {
    var value: Float
    var variance: Float
    var mask: MaskBits
}

/// Lanczos-3 sampling of a masked image, with a fast path for the interior
/// (no bounds checks) and the careful path near the edges.
struct Sampler {
    let source: MaskedImage
    let mask: Image<MaskBits>
    let kernel = LanczosKernel.lanczos3

    func sample(x: Double, y: Double) -> Sample {
        let w = source.image.width, h = source.image.height
        guard x > -0.5, y > -0.5, x < Double(w) - 0.5, y < Double(h) - 0.5 else {
            return Sample(value: 0, variance: 0, mask: .noData)
        }
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int(fx) - 2, iy = Int(fy) - 2
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { buffer in
            let wx = buffer.baseAddress!, wy = buffer.baseAddress! + 6
            kernel.weights(fraction: Float(x - fx), into: wx)
            kernel.weights(fraction: Float(y - fy), into: wy)
            if ix >= 0, iy >= 0, ix + 5 < w, iy + 5 < h {
                return interior(ix: ix, iy: iy, wx: wx, wy: wy)
            }
            return border(ix: ix, iy: iy, wx: wx, wy: wy)
        }
    }

    /// All 36 taps inside the image. The mask takes the bits of the central
    /// 4×4 taps: beyond them Lanczos-3 weights stay below 5%.
    private func interior(ix: Int, iy: Int, wx: UnsafeMutablePointer<Float>, wy: UnsafeMutablePointer<Float>) -> Sample {
        let w = source.image.width
        return source.image.pixels.withUnsafeBufferPointer { pixels in
            source.variance.pixels.withUnsafeBufferPointer { variances in
                mask.pixels.withUnsafeBufferPointer { bits in
                    var value: Float = 0, variance: Float = 0
                    var raw: UInt8 = 0
                    for j in 0..<6 {
                        let row = (iy + j) * w + ix
                        var rowSum: Float = 0, rowVariance: Float = 0
                        for i in 0..<6 {
                            rowSum += wx[i] * pixels[row + i]
                            rowVariance += wx[i] * wx[i] * variances[row + i]
                        }
                        value += wy[j] * rowSum
                        variance += wy[j] * wy[j] * rowVariance
                        if j >= 1 && j <= 4 {
                            raw |= bits[row + 1].rawValue | bits[row + 2].rawValue | bits[row + 3].rawValue | bits[row + 4].rawValue
                        }
                    }
                    return Sample(value: value, variance: variance, mask: MaskBits(rawValue: raw))
                }
            }
        }
    }

    private func border(ix: Int, iy: Int, wx: UnsafeMutablePointer<Float>, wy: UnsafeMutablePointer<Float>) -> Sample {
        let w = source.image.width, h = source.image.height
        var value: Float = 0, variance: Float = 0
        var bits: MaskBits = []
        for j in 0..<6 {
            let yy = iy + j
            guard yy >= 0 && yy < h else {
                if abs(wy[j]) > 0.05 { bits.insert(.edge) }
                continue
            }
            for i in 0..<6 {
                let xx = ix + i
                let weight = wx[i] * wy[j]
                guard xx >= 0 && xx < w else {
                    if abs(weight) > 0.05 { bits.insert(.edge) }
                    continue
                }
                let index = yy * w + xx
                value += weight * source.image.pixels[index]
                variance += weight * weight * source.variance.pixels[index]
                if abs(weight) > 0.05 { bits.formUnion(mask.pixels[index]) }
            }
        }
        return Sample(value: value, variance: variance, mask: bits)
    }
}
