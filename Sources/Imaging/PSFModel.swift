import Foundation

/// An empirical point-spread function: a small odd-sized stamp, normalised to
/// sum 1, whose centre pixel `(size/2, size/2)` is the star's centre.
///
/// It is constant over the image. For ZOGY it is placed on the full image
/// grid with its centre at pixel (0, 0), wrapping around, so that a
/// convolution through the FFT does not shift the image.
public struct PSFModel: Sendable {
    /// The normalised stamp (sum 1), `size`×`size`, `size` odd.
    public let stamp: Image<Float>
    /// FWHM of the model in pixels, from its half-maximum area.
    public let fwhm: Double
    /// How many stars were stacked to make it (0 for an analytic model).
    public let starsUsed: Int


    /// Stamp side in pixels.
    public var size: Int { stamp.width }

    /// Wraps a stamp, renormalising it to sum 1 and measuring its FWHM.
    public init(stamp: Image<Float>, starsUsed: Int) {
        precondition(stamp.width == stamp.height && stamp.width % 2 == 1, "PSF stamp must be square and odd")
        let sum = stamp.pixels.reduce(0.0) { $0 + Double($1) }
        self.stamp = stamp.map { Float(Double($0) / sum) }
        self.starsUsed = starsUsed
        self.fwhm = Self.halfMaximumWidth(self.stamp)
    }

    /// The fraction of the PSF's light within `radius` pixels of its centre
    /// (pixel centres inside the circle), the aperture correction for
    /// photometry in that radius.
    public func enclosedFraction(radius: Double) -> Double {
        let c = Double(size / 2)
        var inside = 0.0
        for y in 0..<size {
            for x in 0..<size where (Double(x) - c) * (Double(x) - c) + (Double(y) - c) * (Double(y) - c) <= radius * radius {
                inside += Double(stamp[x, y])
            }
        }
        return inside
    }

    /// A circular Moffat profile integrated over pixels (5×5 sub-samples),
    /// for tests and as a fallback when too few stars are found.
    ///
    /// - Parameters:
    ///   - fwhm: full width at half maximum, pixels.
    ///   - beta: Moffat's β (4.765 matches Kolmogorov seeing; 2.5 is wing-heavy).
    ///   - size: stamp side, odd; default ~ 8 FWHM.
    ///   - offset: sub-pixel shift of the centre in pixels.
    public static func moffat(fwhm: Double, beta: Double = 3, size: Int? = nil,
                              offset: PixelPoint = PixelPoint(x: 0, y: 0)) -> PSFModel {
        let side = size ?? (2 * Int((4 * fwhm).rounded(.up)) + 1)
        let alpha = fwhm / (2 * (pow(2, 1 / beta) - 1).squareRoot())
        let c = side / 2
        var stamp = Image<Float>(width: side, height: side, repeating: 0)
        let sub = 5
        for y in 0..<side {
            for x in 0..<side {
                var sum = 0.0
                for sy in 0..<sub {
                    for sx in 0..<sub {
                        let dx = Double(x - c) + (Double(sx) + 0.5) / Double(sub) - 0.5 - offset.x
                        let dy = Double(y - c) + (Double(sy) + 0.5) / Double(sub) - 0.5 - offset.y
                        sum += pow(1 + (dx * dx + dy * dy) / (alpha * alpha), -beta)
                    }
                }
                stamp[x, y] = Float(sum)
            }
        }
        return PSFModel(stamp: stamp, starsUsed: 0)
    }

    /// The PSF on a `width`×`height` grid, centred at pixel (0, 0) with
    /// wrap-around, as FFT convolution wants it.
    public func centeredAtOrigin(width: Int, height: Int) -> Image<Float> {
        var out = Image<Float>(width: width, height: height, repeating: 0)
        let c = size / 2
        for y in 0..<size {
            for x in 0..<size {
                let xx = ((x - c) % width + width) % width
                let yy = ((y - c) % height + height) % height
                out[xx, yy] += stamp[x, y]
            }
        }
        return out
    }

    /// FWHM from the area above half the peak, measured on the stamp
    /// upsampled 4× by bilinear interpolation: 2 √(area / π).
    static func halfMaximumWidth(_ stamp: Image<Float>) -> Double {
        let peak = stamp.pixels.max() ?? 0
        guard peak > 0 else { return .nan }
        let half = peak / 2
        let factor = 4
        var area = 0
        for sy in 0..<((stamp.height - 1) * factor) {
            for sx in 0..<((stamp.width - 1) * factor) {
                let x = Double(sx) / Double(factor), y = Double(sy) / Double(factor)
                let x0 = Int(x), y0 = Int(y)
                let tx = Float(x - Double(x0)), ty = Float(y - Double(y0))
                let v = (1 - ty) * ((1 - tx) * stamp[x0, y0] + tx * stamp[x0 + 1, y0])
                    + ty * ((1 - tx) * stamp[x0, y0 + 1] + tx * stamp[x0 + 1, y0 + 1])
                if v >= half { area += 1 }
            }
        }
        return 2 * (Double(area) / Double(factor * factor) / .pi).squareRoot()
    }
}
