import Foundation
import Imaging

/// Fluxes and magnitudes of candidates.
///
/// The PSF flux comes from ZOGY's own estimator (eqs. 41–43): S is the
/// matched-filter output, so S / F_S at the source's position is its
/// optimally weighted flux in reference units, and √V_S / F_S its error,
/// source and astrometric noise included. The aperture sum on D only serves
/// `magdiff`, the check that the source is as compact as P_D.
enum Photometry {
    /// 2.5 / ln 10: converts a relative flux error to a magnitude error.
    static let magnitudeErrorScale = 2.5 / log(10.0)

    /// PSF flux and its error in reference units at a sub-pixel position,
    /// from S and V_S interpolated with Lanczos-3.
    static func psfFlux(score: Image<Float>, scoreVariance: Image<Float>, at point: PixelPoint,
                        fluxScale: Double) -> (flux: Double, error: Double) {
        let s = Double(score.lanczosSample(x: point.x, y: point.y))
        let v = Double(scoreVariance.lanczosSample(x: point.x, y: point.y))
        return (s / fluxScale, max(0, v).squareRoot() / fluxScale)
    }

    /// zeroPoint − 2.5 log10 `flux`; NaN for a non-positive flux or without
    /// a zero point.
    static func magnitude(flux: Double, zeroPoint: Double?) -> Double {
        guard let zeroPoint, flux > 0, flux.isFinite else { return .nan }
        return zeroPoint - 2.5 * log10(flux)
    }

    /// The flux of a source of the given magnitude.
    static func flux(magnitude: Double, zeroPoint: Double) -> Double {
        pow(10, -0.4 * (magnitude - zeroPoint))
    }

    /// Magnitude and its error for a candidate flux; negatives use |flux|.
    static func magnitudes(flux: Double, error: Double, zeroPoint: Double?) -> (mag: Double, error: Double) {
        let magnitude = magnitude(flux: abs(flux), zeroPoint: zeroPoint)
        guard magnitude.isFinite else { return (.nan, .nan) }
        return (magnitude, magnitudeErrorScale * error / abs(flux))
    }

    /// The sum of `image` over a circle, each pixel weighted by the fraction
    /// of its area inside. Pixels that are NaN
    /// or carry an unusable mask bit are skipped.
    ///
    /// Area weights rather than whole pixels by their centres: `magdiff`
    /// divides this by the same sum over P_D taken at the stamp centre, and
    /// with whole pixels the ratio would depend on the sub-pixel phase.
    static func apertureSum(_ image: Image<Float>, mask: Image<MaskBits>?, center: PixelPoint,
                            radius: Double) -> Double {
        let r = Int(radius.rounded(.up)) + 1
        let cx = Int(center.x.rounded()), cy = Int(center.y.rounded())
        var sum = 0.0
        for y in max(0, cy - r)...min(image.height - 1, cy + r) {
            for x in max(0, cx - r)...min(image.width - 1, cx + r) {
                let weight = overlap(dx: Double(x) - center.x, dy: Double(y) - center.y, radius: radius)
                guard weight > 0 else { continue }
                let index = y * image.width + x
                if let mask, !mask.pixels[index].isDisjoint(with: .unusable) { continue }
                let value = Double(image.pixels[index])
                guard value.isFinite else { continue }
                sum += weight * value
            }
        }
        return sum
    }

    /// The fraction of the unit pixel centred at (`dx`, `dy`) from the
    /// circle's centre that lies inside the circle: 16 vertical slices, each
    /// with the chord clipped to the pixel exactly.
    static func overlap(dx: Double, dy: Double, radius: Double) -> Double {
        let nearX = max(0, abs(dx) - 0.5), nearY = max(0, abs(dy) - 0.5)
        if nearX * nearX + nearY * nearY >= radius * radius { return 0 }
        let farX = abs(dx) + 0.5, farY = abs(dy) + 0.5
        if farX * farX + farY * farY <= radius * radius { return 1 }
        let slices = 16
        var area = 0.0
        for i in 0..<slices {
            let x = dx - 0.5 + (Double(i) + 0.5) / Double(slices)
            let h2 = radius * radius - x * x
            guard h2 > 0 else { continue }
            let h = h2.squareRoot()
            area += max(0, min(h, dy + 0.5) - max(-h, dy - 0.5))
        }
        return area / Double(slices)
    }
}
