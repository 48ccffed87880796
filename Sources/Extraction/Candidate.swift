import Imaging

/// One source found in S_corr and measured on the ZOGY products: a row of the
/// `candidates` table.
///
/// Positions are on the reference grid, the grid of every ZOGY product.
/// Fluxes are in reference units (the reference image's ADU: a source of
/// flux f has total f in the reference image). Quantities that could not be
/// measured are NaN, never a made-up value; the writer maps NaN to NULL.
/// The candidate owns its stamps (value images, copy-on-write).
public struct Candidate: Sendable {
    /// Position in the extraction's list (0-based). The list is sorted by
    /// descending |``scorr``|, then by ``peakY``, then by ``peakX``, so the
    /// same input always gives the same indices.
    public var index: Int
    /// Measured position, 0-based array coordinates on the reference grid.
    public var position: PixelPoint
    /// The S_corr peak pixel the candidate was detected at (0-based).
    public var peakX: Int, peakY: Int
    /// Right ascension and declination in degrees (RA in [0, 360)) through
    /// the reference WCS; NaN without a WCS or where it cannot convert.
    public var ra: Double, dec: Double
    /// PSF flux in reference units, S / F_S at ``position``: negative for a
    /// source that got fainter (its flux change).
    public var flux: Double
    /// 1σ error on ``flux``, √V_S / F_S at ``position``, reference units.
    public var fluxError: Double
    /// Signal-to-noise, ``flux`` / ``fluxError`` (negative for negatives).
    public var snr: Double
    /// Magnitude of |``flux``|: zeroPoint − 2.5 log10 |flux|; NaN without a
    /// zero point.
    public var mag: Double
    /// 1σ error on ``mag``: 1.0857 × fluxError / |flux|; NaN without a zero
    /// point.
    public var magError: Double
    /// Peak S_corr, signed (negative for negatives), in σ.
    public var scorr: Double
    /// Whether the source got brighter (ZTF's `isdiffpos`).
    public var isPositive: Bool
    /// FWHM in pixels from adaptive moments on D (on −D for negatives); NaN
    /// when the moments do not converge.
    public var fwhm: Double
    /// A/B from the same moments (≥ 1); NaN when they do not converge.
    public var elongation: Double
    /// 1 − B/A, in [0, 1]; NaN when the moments do not converge.
    public var ellipticity: Double
    /// Position angle of the major axis, degrees counter-clockwise from +x,
    /// in (−90, 90]; NaN when the moments do not converge.
    public var thetaDegrees: Double
    /// What may be wrong; see ``CandidateFlags``.
    public var flags: CandidateFlags
    /// The ZTF-style features for classification.
    public var features: CandidateFeatures
    /// Cut-outs of the new, reference and difference images.
    public var stamps: CandidateStamps

    /// ``position`` in FITS/WCS pixel coordinates (1-based), x.
    public var fitsX: Double { arrayToFITS(position).x }
    /// ``position`` in FITS/WCS pixel coordinates (1-based), y.
    public var fitsY: Double { arrayToFITS(position).y }
}

/// The features a real/bogus classifier reads, named as in ZTF's alert
/// schema where ZTF has them. "Sign-adjusted D" is D for a positive
/// candidate and −D for a negative one, so a clean source of either sign
/// looks the same. FWHM(P_D) is ``ExtractionOutput/differencePSFFWHM``.
/// Codable, for the `features` JSONB column; NaN marks "not measured".
public struct CandidateFeatures: Sendable, Equatable, Codable {
    /// Pixels < 0 in the 5×5 box centred on the rounded position, on
    /// sign-adjusted D (pixels off the image are not counted).
    public var nneg: Int
    /// Pixels in that 5×5 box with any merged-mask bit (including
    /// `.interpolated`, `.edge` and `.nearDefect`), or off the image.
    public var nbad: Int
    /// Σ v / Σ |v| over the 5×5 box of sign-adjusted D: 1 for a clean
    /// source, near 0 for noise or a dipole; NaN if the box is all zero.
    public var sumrat: Double
    /// Aperture magnitude minus PSF magnitude: −2.5 log10(F_ap / |flux|),
    /// where F_ap is the sum of sign-adjusted D in a circle of radius
    /// apertureRadiusInFWHM × FWHM(P_D) (partial pixels weighted by area,
    /// masked pixels skipped), divided by F_D and by the fraction of P_D in
    /// the same circle. ≈ 0 for a point source, < 0 for extended residuals;
    /// NaN when F_ap ≤ 0.
    public var magdiff: Double
    /// A/B, as ``Candidate/elongation``.
    public var elong: Double
    /// Peak S_corr, signed, as ``Candidate/scorr``.
    public var scorr: Double
    /// min(P, N) / max(P, N), where P and |N| are the sums of the positive
    /// and of the negative pixels of D within dipoleRadiusInFWHM × FWHM(P_D)
    /// of the position: ~0 for a clean point source, → 1 for the
    /// positive/negative pair a misregistered star leaves.
    public var dipole: Double
    /// Distance in pixels to the nearest reference-catalogue source within
    /// referenceSearchRadius; NaN if none.
    public var distnr: Double
    /// That source's magnitude, zeroPoint − 2.5 log10 flux; NaN if none, or
    /// without a zero point.
    public var magnr: Double
    /// Distance in pixels from the position to the centre of the nearest
    /// pixel that is off the image or `.noData` in the merged mask.
    public var edgeDistance: Double
    /// Semi-major axis A (rms, pixels) over FWHM(P_D); NaN without moments.
    public var aimagerat: Double
    /// Semi-minor axis B over FWHM(P_D); NaN without moments.
    public var bimagerat: Double
    /// Candidate FWHM over FWHM(P_D): ≈ 1 for a point source.
    public var fwhmRatio: Double
    /// FWHM of the nearest reference source (the one `distnr` names) over
    /// the median FWHM of the reference catalogue: ≈ 1 for a star, larger
    /// for a galaxy, so a transient on a host is told from one on a star;
    /// NaN when there is none or its moments did not converge.
    public var sizenr: Double = .nan
}

/// Square cut-outs around a candidate, `stampSize`² pixels, centred on the
/// rounded position (the centre pixel is `(stampSize/2, stampSize/2)`), NaN
/// where they reach past the image.
public struct CandidateStamps: Sendable {
    /// The aligned new (science) image, its own units.
    public var science: Image<Float>
    /// The reference image, its own units.
    public var reference: Image<Float>
    /// The ZOGY difference D (unit-variance background).
    public var difference: Image<Float>
    /// The column and row of the full image at the stamps' pixel (0, 0).
    public var originX: Int, originY: Int
}
