import Imaging

/// F_n / F_r from stars matched between the aligned science image and the
/// reference: fluxes in a wide aperture (3 × the larger FWHM) on both
/// images, each divided by its own PSF's enclosed fraction at that radius,
/// then the median ratio after 3σ clipping.
///
/// No PSF model enters the fluxes themselves: a model's small errors at the
/// pixel edges (an undersampled PSF, one image resampled and the other not)
/// bias a PSF-fit ratio by a per cent or two, which leaves a residual on
/// every bright star. The aperture correction is close to 1 and does not
/// depend on the sub-pixel phase; neighbours in the aperture are the same
/// in both images, scaled by the ratio itself.
enum FluxRatio {
    struct Fit {
        var ratio: Double
        var scatter: Double
        var stars: Int
    }

    /// The ratio from stars at S/N ≥ `minimumSNR` in both images; with too
    /// few of those (a small or sparse field), from stars at S/N ≥ 10.
    static func fit(new: MaskedImage, newPSF: PSFModel, newRMS: Double, reference: MaskedImage,
                    referencePSF: PSFModel, referenceRMS: Double, positions: [PixelPoint],
                    minimumSNR: Double) -> Fit? {
        for snr in [minimumSNR, min(minimumSNR, 10)] {
            if let fit = fit(new: new, newPSF: newPSF, newRMS: newRMS, reference: reference, referencePSF: referencePSF,
                             referenceRMS: referenceRMS, positions: positions, snr: snr) {
                return fit
            }
        }
        return nil
    }

    private static func fit(new: MaskedImage, newPSF: PSFModel, newRMS: Double, reference: MaskedImage,
                            referencePSF: PSFModel, referenceRMS: Double, positions: [PixelPoint],
                            snr minimumSNR: Double) -> Fit? {
        let radius = 3 * max(newPSF.fwhm, referencePSF.fwhm)
        let correctionN = newPSF.enclosedFraction(radius: radius)
        let correctionR = referencePSF.enclosedFraction(radius: radius)
        guard correctionN > 0.5, correctionR > 0.5 else { return nil }
        var ratios: [Float] = []
        for p in positions {
            let n = ApertureFlux.measure(new.image, rms: newRMS, mask: new.mask, center: p, radius: radius)
            let r = ApertureFlux.measure(reference.image, rms: referenceRMS, mask: reference.mask, center: p, radius: radius)
            guard n.flags.isEmpty, r.flags.isEmpty, n.flux > 0, r.flux > 0,
                  n.flux / n.error >= minimumSNR, r.flux / r.error >= minimumSNR else { continue }
            ratios.append(Float((n.flux / correctionN) / (r.flux / correctionR)))
        }
        guard ratios.count >= 3 else { return nil }
        var kept = ratios
        let stats = RobustStatistics.sigmaClip(&kept, sigma: 3)
        guard stats.median > 0, stats.median.isFinite else { return nil }
        return Fit(ratio: stats.median, scatter: stats.standardDeviation, stars: stats.count)
    }
}
