import Foundation

/// Why no empirical PSF could be made.
public struct PSFError: Error, CustomStringConvertible, Sendable {
    /// Stars that passed selection, and how many are needed.
    public let usable: Int
    public let required: Int
    public var description: String {
        "too few clean stars for an empirical PSF: \(usable) usable, \(required) required"
    }
}

/// How PSF stars are chosen and stacked.
public struct PSFParameters: Sendable, Equatable {
    /// Stars need at least this aperture S/N.
    public var minimumSNR: Double = 40
    /// At most this many stars are stacked (the brightest clean ones).
    public var maximumStars: Int = 120
    /// At least this many, or estimation fails.
    public var minimumStars: Int = 5
    /// Maximum elongation A/B of a PSF star.
    public var maximumElongation: Double = 1.4
    /// Stars whose FWHM differs from the stellar locus by more than this
    /// fraction are galaxies, blends or cosmic rays.
    public var fwhmTolerance: Double = 0.2
    /// Stamp half-width in FWHM (clamped to 7…30 pixels).
    public var halfWidthInFWHM: Double = 4
    /// Peak above this fraction of the saturation level disqualifies a star.
    public var saturationFraction: Double = 0.8
    /// Below this FWHM (pixels) stars are undersampled and the PSF is fitted
    /// per pixel against sub-pixel phase; above it, stars are shifted onto a
    /// common centre by Lanczos-3 (exact for well-sampled stars, and far less
    /// noisy with few stars) and averaged.
    public var phaseFitBelowFWHM: Double = 2.5

    /// Defaults that suit seeing from 1.5 to 6 pixels.
    public init() {}
}

/// Builds an empirical PSF from bright, isolated, unsaturated stars.
///
/// Well-sampled stars (FWHM ≥ ``PSFParameters/phaseFitBelowFWHM``) are cut
/// out, shifted so their centroids fall on the stamp centre by Lanczos-3,
/// normalised to unit flux and averaged with 3σ clipping (``ShiftedStamp``).
///
/// Undersampled stars are never interpolated, because that blurs them. Each
/// star's stamp is cut at its nearest pixel, so each stamp pixel holds samples
/// of the pixel-integrated PSF at the stars' sub-pixel phases. A robust
/// quadratic in phase, fitted per pixel, gives the PSF at zero phase: the star
/// exactly on the pixel centre (``PhaseFit``).
public enum PSFEstimator {
    /// Estimates the PSF of a background-subtracted image from its stars.
    ///
    /// - Parameters:
    ///   - stars: from ``StarDetector/detect(_:rms:mask:parameters:)``.
    ///   - saturation: the saturation level above background, or nil.
    public static func estimate(_ image: Image<Float>, stars: [Star], mask: Image<MaskBits>?,
                                saturation: Double? = nil,
                                parameters: PSFParameters = PSFParameters()) throws -> PSFModel {
        let chosen = select(stars, saturation: saturation, parameters: parameters)
        guard chosen.count >= parameters.minimumStars else {
            throw PSFError(usable: chosen.count, required: parameters.minimumStars)
        }
        var widths = chosen.map { Float($0.fwhm) }
        let seeing = Double(RobustStatistics.medianInPlace(&widths))
        let half = min(30, max(7, Int((parameters.halfWidthInFWHM * seeing).rounded(.up))))
        let side = 2 * half + 1
        let combined: [Float]
        let used: Int
        let neighbours = NeighbourBlanking(stars: stars, seeing: seeing, half: half)
        let centred = chosen.map { neighbours.recentred($0, in: image) }
        if seeing >= parameters.phaseFitBelowFWHM {
            let stamps = centred.compactMap { star in
                ShiftedStamp.cut(image, mask: mask, star: star, half: half).map { (neighbours.blank($0, around: star), star.snr) }
            }
            guard stamps.count >= parameters.minimumStars else {
                throw PSFError(usable: stamps.count, required: parameters.minimumStars)
            }
            combined = ShiftedStamp.weightedMean(stamps, side: side)
            used = stamps.count
        } else {
            let samples = centred.compactMap { star in
                PhaseSample(image, mask: mask, star: star, half: half).map { neighbours.blank($0, around: star) }
            }
            guard samples.count >= parameters.minimumStars else {
                throw PSFError(usable: samples.count, required: parameters.minimumStars)
            }
            combined = PhaseFit.phaseCoefficients(samples, side: side).map { $0[0] }
            used = samples.count
        }
        return PSFModel(stamp: taper(Image(width: side, height: side, pixels: combined)), starsUsed: used)
    }

    /// Clean, bright, isolated, round stars on the stellar locus.
    static func select(_ stars: [Star], saturation: Double?, parameters: PSFParameters) -> [Star] {
        let bad: StarFlags = [.crowded, .blended, .saturated, .edge, .masked]
        var candidates = stars.filter { star in
            star.flags.isDisjoint(with: bad) && star.snr >= parameters.minimumSNR
                && star.shape != nil && star.elongation <= parameters.maximumElongation
                && (saturation.map { star.peak < parameters.saturationFraction * $0 } ?? true)
        }
        guard candidates.count >= 3 else { return candidates }
        var widths = candidates.map { Float($0.fwhm) }
        let locus = Double(RobustStatistics.medianInPlace(&widths))
        candidates = candidates.filter { abs($0.fwhm - locus) <= parameters.fwhmTolerance * locus }
        return Array(candidates.sorted { $0.flux > $1.flux }.prefix(parameters.maximumStars))
    }

    /// Zeroes the corners outside the inscribed circle, where the stack is
    /// mostly noise and neighbours, and lifts nothing below zero in the
    /// outer half, so the wings do not inject noise into the subtraction.
    static func taper(_ stamp: Image<Float>) -> Image<Float> {
        var out = stamp
        let c = Double(stamp.width / 2)
        for y in 0..<stamp.height {
            for x in 0..<stamp.width {
                let r = ((Double(x) - c) * (Double(x) - c) + (Double(y) - c) * (Double(y) - c)).squareRoot()
                if r > c + 0.5 { out[x, y] = 0 } else if r > c / 2 && out[x, y] < 0 { out[x, y] = 0 }
            }
        }
        return out
    }
}
