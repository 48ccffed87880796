import Imaging

/// Prepares one raw image for registration and subtraction, in the order the
/// steps depend on each other:
/// 1. NaN → `.noData`; saturation (with bleed trails) → `.saturated`;
/// 2. the background and its rms, with those pixels left out;
/// 3. bad columns and dead pixels, repaired (before anything smooths the
///    image or looks for cosmic rays, which bad columns resemble);
/// 4. stars and an empirical PSF (cosmic rays fall off the stellar locus);
/// 5. cosmic rays and hot pixels, judged against that PSF, then repaired;
/// 6. satellite trails, masked along their lines; then soft cosmic-ray
///    tracks, narrower than the PSF (after trails, whose fragments could
///    pass for tracks);
/// 7. the star list re-flagged against the final mask.
///
/// The raw image is in detector units (ADU); outputs are in the same units.
public enum Preprocessor {
    /// Runs the steps on `raw`.
    ///
    /// - Parameters:
    ///   - saturate: the header's saturation level in raw units, or nil.
    ///   - gain: e⁻/ADU, or nil (source noise is then left out).
    ///   - whiteNoise: the white-equivalent sky σ when the image's noise is
    ///     correlated and its σ is known from how it was made (a stack's
    ///     SKYSIG); nil for a raw exposure, whose pixel rms is that σ.
    public static func run(_ raw: Image<Float>, saturate: Double?, gain: Double?, whiteNoise: Double? = nil,
                           parameters: PreprocessParameters = PreprocessParameters()) throws -> PreprocessedImage {
        var mask = Image<MaskBits>.good(width: raw.width, height: raw.height)
        SaturationMask.apply(raw, saturate: saturate, fraction: parameters.saturationFraction,
                             growth: parameters.saturationGrowth, to: &mask)
        guard mask.count(of: .noData) < raw.count else {
            throw PreprocessError(reason: "every pixel is NaN")
        }
        let background = BackgroundModel.estimate(raw, mask: mask, parameters: parameters.background)
        var image = background.subtracted(from: raw)
        for i in 0..<image.count where mask.pixels[i].contains(.noData) { image.pixels[i] = 0 }
        let rms = background.rmsImage()
        // Bad columns first: they need no PSF, every pixel of one is "sharp"
        // across the column and would be repaired piecemeal as cosmic rays,
        // and smoothing would spread one into its neighbours and join it to
        // any trail it crosses.
        BadColumnMask.apply(&image, rms: rms, mask: &mask, parameters: parameters)
        DeadPixelMask.apply(&image, rms: rms, mask: &mask)
        var starParameters = parameters.stars
        starParameters.gain = gain
        let significance = StarDetector.significance(image, rms: rms, filterSigma: starParameters.filterSigma)
        var stars = StarDetector.detect(image, rms: rms, mask: mask, significance: significance, parameters: starParameters)
        let saturationAbove = saturate.map { $0 - Double(background.globalLevel) }
        let (psf, empirical) = estimatePSF(image, stars: stars, mask: mask, saturation: saturationAbove, parameters: parameters)
        CosmicRayMask.apply(&image, rms: rms, mask: &mask, psf: psf, gain: gain, parameters: parameters)
        let trails = TrailMask.apply(image, significance: significance, mask: &mask, seeing: psf.fwhm, parameters: parameters)
        CosmicRayMask.applyTracks(&image, rms: rms, mask: &mask, psf: psf, parameters: parameters)
        stars = reflagged(stars, mask: mask, seeing: psf.fwhm)
        let variance = rms.map { $0 * $0 }
        let pixelRMS = Double(background.globalRMS)
        let effective = whiteNoise ?? pixelRMS
        return PreprocessedImage(
            masked: MaskedImage(image: image, variance: variance, mask: mask), background: background,
            stars: stars, psf: psf, psfIsEmpirical: empirical, backgroundRMS: pixelRMS, effectiveSigma: effective,
            gain: gain, saturationAboveBackground: saturationAbove, maskCounts: counts(mask), trails: trails)
    }

    /// The empirical PSF, or — when too few clean stars exist — a Moffat of
    /// the median FWHM of whatever compact sources there are.
    static func estimatePSF(_ image: Image<Float>, stars: [Star], mask: Image<MaskBits>, saturation: Double?,
                            parameters: PreprocessParameters) -> (PSFModel, Bool) {
        if let psf = try? PSFEstimator.estimate(image, stars: stars, mask: mask, saturation: saturation,
                                                parameters: parameters.psf) {
            return (psf, true)
        }
        var widths = stars.prefix(50).compactMap { $0.shape?.fwhm }.filter { $0 > 1 && $0 < 20 }.map(Float.init)
        let seeing = widths.count >= 3 ? Double(RobustStatistics.medianInPlace(&widths)) : parameters.stars.seeingGuess
        return (PSFModel.moffat(fwhm: seeing), false)
    }

    /// Drops sources sitting on a repaired defect (a cosmic ray detected as a
    /// star) and flags those whose aperture now meets one.
    static func reflagged(_ stars: [Star], mask: Image<MaskBits>, seeing: Double) -> [Star] {
        let radius = max(1, Int((1.75 * seeing).rounded()))
        return stars.compactMap { star in
            let cx = Int(star.position.x.rounded()), cy = Int(star.position.y.rounded())
            guard mask.contains(x: cx, y: cy) else { return nil }
            if !mask[cx, cy].isDisjoint(with: [.cosmicRay, .bad, .trail]) { return nil }
            var star = star
            for y in max(0, cy - radius)...min(mask.height - 1, cy + radius) {
                for x in max(0, cx - radius)...min(mask.width - 1, cx + radius)
                where !mask[x, y].isDisjoint(with: [.cosmicRay, .bad, .trail]) {
                    star.flags.insert(.masked)
                }
            }
            return star
        }
    }

    static func counts(_ mask: Image<MaskBits>) -> [String: Int] {
        let names: [(String, MaskBits)] = [("saturated", .saturated), ("bad", .bad), ("cosmic_ray", .cosmicRay),
                                           ("no_data", .noData), ("trail", .trail), ("interpolated", .interpolated)]
        return Dictionary(uniqueKeysWithValues: names.map { ($0.0, mask.count(of: $0.1)) })
    }
}
