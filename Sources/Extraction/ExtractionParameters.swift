import Imaging

/// How candidates are found in S_corr and measured on D.
///
/// Lengths given "in FWHM" are multiples of the FWHM of the difference PSF
/// P_D, measured once per extraction (see ``ExtractionOutput/differencePSFFWHM``),
/// so one set of parameters suits every seeing. The defaults are the
/// pipeline's; each is documented where it is declared.
///
/// Codable for configuration files: every key is optional when decoding and
/// falls back to its default, and mask bits are written by name (`noData`,
/// `edge`, `saturated`, `trail`, `bad`, `cosmicRay`, `interpolated`).
public struct ExtractionParameters: Sendable, Equatable {
    /// Detection threshold on |S_corr|, in σ. Default 5: in a 2048² image the
    /// Gaussian tail then gives about one noise peak per image.
    public var threshold: Double = 5
    /// Minimum number of connected pixels (8-connected) above the threshold
    /// for a segment to count. Default 3: S_corr is smooth on the PSF scale,
    /// so a real source covers many pixels while single hot noise pixels do
    /// not.
    public var minimumArea: Int = 3
    /// Whether to look for negative candidates (sources that got fainter)
    /// on −S_corr as well. Default true.
    public var detectNegatives: Bool = true
    /// Local maxima of S_corr within this distance of a higher maximum of
    /// the same segment are the same source. Default 1 FWHM.
    public var mergeRadiusInFWHM: Double = 1
    /// A second maximum farther than the merge radius must also stand this
    /// far (in σ of S_corr) above the lowest S_corr on the straight line to
    /// every higher maximum kept, or it is a noise bump on a wing and is
    /// merged. Default 1σ.
    public var deblendMinimumDip: Double = 1
    /// Side of the science, reference and difference stamps in pixels. Odd;
    /// an even value is taken as the next odd one. Default 63.
    public var stampSize: Int = 63
    /// A peak whose S_corr pixel carries any of these bits in the merged
    /// mask is rejected outright (and counted in ``RejectionSummary``).
    /// Default: `.noData`, `.edge`, `.nearDefect`, `.saturated`, `.trail`.
    public var rejectedMaskBits: MaskBits = [.noData, .edge, .nearDefect, .saturated, .trail]
    /// Also reject a peak on any pixel that subtraction had to zero
    /// (``MaskBits/needsZeroing``: an unusable defect not repaired by
    /// interpolation). Default true.
    public var rejectZeroedPixels: Bool = true
    /// Windowed-centroid results that move farther than this from the S_corr
    /// peak pixel (pixels) are distrusted; the peak refined by a 3×3
    /// quadratic fit is used instead. Default 1.5 px.
    public var maximumCentroidShift: Double = 1.5
    /// Radius of the aperture on D used for `magdiff`, in FWHM. Default 1.
    public var apertureRadiusInFWHM: Double = 1
    /// Radius of the circle on D in which `dipole` sums positive and
    /// negative pixels, in FWHM. Default 2.
    public var dipoleRadiusInFWHM: Double = 2
    /// A saturated pixel of either input within this radius (in FWHM), or in
    /// the 5×5 box, sets ``CandidateFlags/saturated``. Default 1 FWHM: the
    /// PSF core.
    public var saturationRadiusInFWHM: Double = 1
    /// How far to look for the nearest reference-catalogue source (`distnr`,
    /// `magnr`), in pixels. Default 15 px.
    public var referenceSearchRadius: Double = 15
    /// A reference star counts as bright for ``CandidateFlags/nearBrightStar``
    /// when its flux (reference units) is at least this. Takes precedence
    /// over ``brightStarMagnitude``. Default nil.
    public var brightStarFlux: Double?
    /// A reference star counts as bright when its magnitude (with the zero
    /// point passed to the extractor) is at most this; ignored without a zero
    /// point. Default 14 mag.
    public var brightStarMagnitude: Double? = 14
    /// ``CandidateFlags/nearBrightStar`` is set within this distance of a
    /// bright reference star, in FWHM. Default 2.
    public var brightStarRadiusInFWHM: Double = 2

    /// The defaults described on each property.
    public init() {}

    /// The stamp side actually used: odd and at least 1.
    public var oddStampSize: Int {
        let side = max(1, stampSize)
        return side % 2 == 1 ? side : side + 1
    }

    /// Whether a peak on a pixel with these mask bits is rejected.
    func rejects(_ bits: MaskBits) -> Bool {
        !bits.isDisjoint(with: rejectedMaskBits) || (rejectZeroedPixels && bits.needsZeroing)
    }

    /// Every bit that can be the reason for a rejection, to name the cause:
    /// a zeroed saturated core counts as saturated even when `.saturated`
    /// is rejected only through ``rejectZeroedPixels``.
    var rejectingBits: MaskBits {
        rejectedMaskBits.union(rejectZeroedPixels ? MaskBits.zeroedForSubtraction.union(.unusable) : [])
    }

    /// The flux (reference units) from which a reference star is bright, or
    /// nil when no limit applies.
    func brightStarFluxLimit(zeroPoint: Double?) -> Double? {
        if let brightStarFlux { return brightStarFlux }
        guard let magnitude = brightStarMagnitude, let zeroPoint else { return nil }
        return Photometry.flux(magnitude: magnitude, zeroPoint: zeroPoint)
    }
}
