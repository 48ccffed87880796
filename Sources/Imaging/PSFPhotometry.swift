/// PSF-fit photometry at a known position: the flux that best scales the PSF
/// to the pixels, least squares with the sky noise as weight (constant, so
/// it cancels): F = Σ P·I / Σ P². Optimal for isolated point sources and,
/// unlike an aperture, unbiased by differences in seeing between two images.
public enum PSFPhotometry {
    /// One fit's result.
    public struct Measurement: Sendable {
        /// Flux in image units (the PSF sums to 1).
        public var flux: Double
        /// 1σ error from the background rms: σ / √(Σ P²).
        public var error: Double
        /// Whether an unusable or saturated pixel fell inside the fit radius.
        public var touchedMask: Bool
    }

    /// Fits `psf` centred at `position` (0-based array coordinates) to
    /// `image` within `radius` pixels. The PSF is shifted to the position's
    /// sub-pixel phase by Lanczos interpolation of its stamp.
    public static func fit(_ image: Image<Float>, psf: PSFModel, at position: PixelPoint, radius: Double,
                           rms: Double, mask: Image<MaskBits>? = nil) -> Measurement? {
        let cx = Int(position.x.rounded()), cy = Int(position.y.rounded())
        let r = Int(radius.rounded(.up)), centre = Double(psf.size / 2)
        var sumPI = 0.0, sumPP = 0.0
        var touched = false
        for y in (cy - r)...(cy + r) {
            for x in (cx - r)...(cx + r) {
                let dx = Double(x) - position.x, dy = Double(y) - position.y
                guard dx * dx + dy * dy <= radius * radius else { continue }
                guard image.contains(x: x, y: y) else { return nil }
                if let mask, !mask[x, y].isDisjoint(with: [.saturated, .noData, .bad, .cosmicRay, .trail]) {
                    touched = true
                    continue
                }
                let value = Double(image[x, y])
                guard value.isFinite else { continue }
                let p = Double(psf.stamp.lanczosSample(x: centre + dx, y: centre + dy))
                sumPI += p * value
                sumPP += p * p
            }
        }
        guard sumPP > 0 else { return nil }
        return Measurement(flux: sumPI / sumPP, error: rms / sumPP.squareRoot(), touchedMask: touched)
    }
}
