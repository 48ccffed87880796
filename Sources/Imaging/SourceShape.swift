import Foundation

/// The shape of a source from its second moments: axes, orientation,
/// elongation and FWHM.
public struct SourceShape: Sendable, Equatable {
    /// Second central moments in pixels² (x̄², ȳ², x̄ȳ).
    public var xx: Double, yy: Double, xy: Double

    /// A source shape from its moments.
    public init(xx: Double, yy: Double, xy: Double) {
        self.xx = xx
        self.yy = yy
        self.xy = xy
    }

    /// Semi-major and semi-minor axes (pixels, rms along each axis):
    /// A², B² = (x̄² + ȳ²)/2 ± √(((x̄² − ȳ²)/2)² + x̄ȳ²).
    public var a: Double {
        (((xx + yy) / 2) + (((xx - yy) / 2) * ((xx - yy) / 2) + xy * xy).squareRoot()).squareRoot()
    }

    public var b: Double {
        max(0, ((xx + yy) / 2) - (((xx - yy) / 2) * ((xx - yy) / 2) + xy * xy).squareRoot()).squareRoot()
    }

    /// Position angle of the major axis in degrees, counter-clockwise from +x,
    /// in (−90, 90]: tan 2θ = 2 x̄ȳ / (x̄² − ȳ²).
    public var thetaDegrees: Double {
        0.5 * atan2(2 * xy, xx - yy) * 180 / .pi
    }

    /// Elongation A/B (≥ 1); infinite for a line.
    public var elongation: Double { b > 0 ? a / b : .infinity }

    /// Ellipticity 1 − B/A, in [0, 1].
    public var ellipticity: Double { a > 0 ? 1 - b / a : 0 }

    /// The FWHM of a Gaussian with the same determinant of moments:
    /// 2√(2 ln 2) × (x̄² ȳ² − x̄ȳ²)^¼, in pixels.
    public var fwhm: Double {
        2 * (2 * log(2.0)).squareRoot() * pow(max(0, xx * yy - xy * xy), 0.25)
    }
}

/// Adaptive Gaussian moments: the Gaussian window is matched iteratively to
/// the source's own moments, so the result is unbiased for a Gaussian source
/// and far less noisy than unweighted moments for faint ones.
public enum AdaptiveMoments {
    /// Measures the shape of a source around `center` (0-based array
    /// coordinates) on a background-subtracted image.
    ///
    /// - Parameters:
    ///   - initialSigma: the starting window sigma in pixels (e.g. seeing / 2.35).
    /// - Returns: the source's moments, or nil when the iteration does not
    ///   converge (too faint, or not a compact source).
    public static func measure(_ image: Image<Float>, center: PixelPoint, initialSigma: Double,
                               mask: Image<MaskBits>? = nil, maxIterations: Int = 30) -> SourceShape? {
        var window = SourceShape(xx: initialSigma * initialSigma, yy: initialSigma * initialSigma, xy: 0)
        for _ in 0..<maxIterations {
            guard let weighted = weightedMoments(image, center: center, window: window, mask: mask) else {
                return nil
            }
            // For a Gaussian source C and window W, the weighted moments are
            // (C⁻¹ + W⁻¹)⁻¹; at the fixed point W = C they are C / 2.
            let next = SourceShape(xx: 2 * weighted.xx, yy: 2 * weighted.yy, xy: 2 * weighted.xy)
            guard next.xx > 0.01, next.yy > 0.01, next.xx * next.yy - next.xy * next.xy > 1e-6,
                  next.xx < 1e4, next.yy < 1e4 else { return nil }
            let change = abs(next.xx - window.xx) + abs(next.yy - window.yy) + abs(next.xy - window.xy)
            window = next
            if change < 1e-4 * (window.xx + window.yy) { return window }
        }
        return nil
    }

    private static func weightedMoments(_ image: Image<Float>, center: PixelPoint, window: SourceShape,
                                        mask: Image<MaskBits>?) -> SourceShape? {
        let det = window.xx * window.yy - window.xy * window.xy
        guard det > 0 else { return nil }
        let (ixx, iyy, ixy) = (window.yy / det, window.xx / det, -window.xy / det)
        let radius = Int((4 * max(window.xx, window.yy).squareRoot()).rounded(.up)) + 1
        let cx = Int(center.x.rounded()), cy = Int(center.y.rounded())
        var sw = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for yy in max(0, cy - radius)...min(image.height - 1, cy + radius) {
            let dy = Double(yy) - center.y
            for xx in max(0, cx - radius)...min(image.width - 1, cx + radius) {
                let index = yy * image.width + xx
                if let mask, !mask.pixels[index].isDisjoint(with: .unusable) { continue }
                let value = Double(image.pixels[index])
                guard value.isFinite else { continue }
                let dx = Double(xx) - center.x
                let q = ixx * dx * dx + iyy * dy * dy + 2 * ixy * dx * dy
                guard q < 16 else { continue }
                let w = exp(-0.5 * q) * value
                sw += w
                sxx += w * dx * dx
                syy += w * dy * dy
                sxy += w * dx * dy
            }
        }
        guard sw > 0 else { return nil }
        return SourceShape(xx: sxx / sw, yy: syy / sw, xy: sxy / sw)
    }
}
