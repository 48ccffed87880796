import Imaging

/// F_n / F_r from stars matched between the aligned science image and the
/// reference: PSF-fit fluxes with each image's own PSF (so differing seeing
/// does not bias the ratio), then the median ratio after 3σ clipping.
enum FluxRatio {
    struct Fit {
        var ratio: Double
        var scatter: Double
        var stars: Int
    }

    static func fit(new: MaskedImage, newPSF: PSFModel, newRMS: Double, reference: MaskedImage,
                    referencePSF: PSFModel, referenceRMS: Double, positions: [PixelPoint],
                    minimumSNR: Double) -> Fit? {
        let radius = 2 * max(newPSF.fwhm, referencePSF.fwhm)
        var ratios: [Float] = []
        for p in positions {
            guard let n = PSFPhotometry.fit(new.image, psf: newPSF, at: p, radius: radius, rms: newRMS, mask: new.mask),
                  let r = PSFPhotometry.fit(reference.image, psf: referencePSF, at: p, radius: radius,
                                            rms: referenceRMS, mask: reference.mask),
                  !n.touchedMask, !r.touchedMask,
                  n.flux / n.error >= minimumSNR, r.flux / r.error >= minimumSNR else { continue }
            ratios.append(Float(n.flux / r.flux))
        }
        guard ratios.count >= 3 else { return nil }
        var kept = ratios
        let stats = RobustStatistics.sigmaClip(&kept, sigma: 3)
        guard stats.median > 0, stats.median.isFinite else { return nil }
        return Fit(ratio: stats.median, scatter: stats.standardDeviation, stars: stats.count)
    }
}
