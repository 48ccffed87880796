import Imaging

/// Where a candidate is: a windowed centroid on D, checked against the S_corr
/// peak.
///
/// D carries the source at full resolution (its PSF is P_D), while S_corr is
/// D smoothed once more by the matched filter, so D gives the sharper
/// centroid. S_corr is the fallback because it is what found the source: a
/// centroid that wanders off it has slid onto a neighbour or into noise.
enum Position {
    /// The measured position in full-image coordinates.
    ///
    /// - Parameters:
    ///   - cutout: sign-adjusted D around the peak.
    ///   - scoreCorrected: S_corr (unsigned; `peak.sign` is applied here).
    ///   - sigma: the window's σ, FWHM(P_D) / 2.3548.
    ///   - maximumShift: farther than this from the peak pixel, the centroid
    ///     is not trusted.
    static func measure(cutout: Cutout, scoreCorrected: Image<Float>, peak: Peak, sigma: Double,
                        maximumShift: Double) -> PixelPoint {
        let start = PixelPoint(x: Double(peak.x), y: Double(peak.y))
        if let centroid = WindowedCentroid.refine(cutout.image, start: cutout.local(start), sigma: sigma,
                                                  mask: cutout.mask) {
            let position = cutout.global(centroid)
            let dx = position.x - start.x, dy = position.y - start.y
            if dx * dx + dy * dy <= maximumShift * maximumShift { return position }
        }
        return quadraticPeak(scoreCorrected, x: peak.x, y: peak.y, sign: peak.sign)
    }

    /// The vertex of the quadratic surface fitted (least squares) to the 3×3
    /// pixels around (`x`, `y`) of sign × `image`; the pixel itself when the
    /// surface has no maximum within one pixel or the box leaves the image.
    static func quadraticPeak(_ image: Image<Float>, x: Int, y: Int, sign: Float) -> PixelPoint {
        let centre = PixelPoint(x: Double(x), y: Double(y))
        guard x >= 1, y >= 1, x < image.width - 1, y < image.height - 1 else { return centre }
        // On the 3×3 grid the basis 1, u, v, uv, u² − 2/3, v² − 2/3 is
        // orthogonal, so each coefficient is one projection.
        var b = 0.0, c = 0.0, e = 0.0, d = 0.0, f = 0.0
        for v in -1...1 {
            for u in -1...1 {
                let value = Double(sign * image[x + u, y + v])
                guard value.isFinite else { return centre }
                let du = Double(u), dv = Double(v)
                b += du * value
                c += dv * value
                e += du * dv * value
                d += (du * du - 2.0 / 3.0) * value
                f += (dv * dv - 2.0 / 3.0) * value
            }
        }
        b /= 6; c /= 6; e /= 4; d /= 2; f /= 2
        // value ≈ … + b u + c v + d u² + e u v + f v²: the gradient vanishes
        // where [2d e; e 2f] (u, v) = −(b, c); a maximum needs it negative
        // definite.
        let determinant = 4 * d * f - e * e
        guard d < 0, determinant > 0 else { return centre }
        let u = (-b * 2 * f + c * e) / determinant
        let v = (-c * 2 * d + b * e) / determinant
        guard abs(u) <= 1, abs(v) <= 1 else { return centre }
        return PixelPoint(x: centre.x + u, y: centre.y + v)
    }
}
