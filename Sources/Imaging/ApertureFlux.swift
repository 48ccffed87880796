/// Circular-aperture photometry on a background-subtracted image.
public enum ApertureFlux {
    /// The outcome of one aperture measurement.
    public struct Measurement: Sendable {
        /// Sum of pixel values in the aperture, image units.
        public var flux: Double
        /// 1σ error from the background rms (plus Poisson noise when the gain
        /// is given).
        public var error: Double
        /// Saturated, masked or edge pixels met inside the aperture.
        public var flags: StarFlags
    }

    /// Sums pixels whose centres lie within `radius` of `center` (0-based
    /// array coordinates). Masked pixels are skipped and flagged.
    ///
    /// - Parameter gain: e⁻/ADU, to add source Poisson noise to the error.
    public static func measure(_ image: Image<Float>, rms: Image<Float>, mask: Image<MaskBits>?, center: PixelPoint,
                               radius: Double, gain: Double? = nil) -> Measurement {
        measure(image, sigmaAt: { rms.pixels[$0] }, mask: mask, center: center, radius: radius, gain: gain)
    }

    /// The same with one sky rms for every pixel.
    public static func measure(_ image: Image<Float>, rms: Double, mask: Image<MaskBits>?, center: PixelPoint,
                               radius: Double, gain: Double? = nil) -> Measurement {
        let sigma = Float(rms)
        return measure(image, sigmaAt: { _ in sigma }, mask: mask, center: center, radius: radius, gain: gain)
    }

    private static func measure(_ image: Image<Float>, sigmaAt: (Int) -> Float, mask: Image<MaskBits>?,
                                center: PixelPoint, radius: Double, gain: Double?) -> Measurement {
        var flux = 0.0, variance = 0.0
        var flags: StarFlags = []
        let r = Int(radius.rounded(.up))
        let cx = Int(center.x.rounded()), cy = Int(center.y.rounded())
        for y in (cy - r)...(cy + r) {
            for x in (cx - r)...(cx + r) {
                let dx = Double(x) - center.x, dy = Double(y) - center.y
                guard dx * dx + dy * dy <= radius * radius else { continue }
                guard image.contains(x: x, y: y) else {
                    flags.insert(.edge)
                    continue
                }
                let index = y * image.width + x
                if let mask {
                    let bits = mask.pixels[index]
                    if bits.contains(.saturated) { flags.insert(.saturated) }
                    if !bits.isDisjoint(with: [.bad, .cosmicRay, .trail, .noData]) { flags.insert(.masked) }
                    if !bits.isDisjoint(with: .unusable) { continue }
                }
                let value = Double(image.pixels[index])
                guard value.isFinite else { continue }
                flux += value
                let sigma = Double(sigmaAt(index))
                variance += sigma * sigma
                if let gain, gain > 0, value > 0 { variance += value / gain }
            }
        }
        return Measurement(flux: flux, error: variance.squareRoot(), flags: flags)
    }
}
