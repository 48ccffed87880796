import FFT
import Imaging

/// Everything proper image subtraction needs about a new (science) image and
/// its reference, both already on the reference's pixel grid.
///
/// Units: both images are background-subtracted and in their own detector
/// units (ADU); `fluxRatio` carries the reference's flux scale into the new
/// image's (F_n / F_r with F_r = 1).
public struct ZOGYInput: Sendable {
    /// The aligned science image (N) with its variance and mask.
    public var new: MaskedImage
    /// The reference image (R) with its variance and mask.
    public var reference: MaskedImage
    /// PSFs of N and R, each normalised to sum 1.
    public var newPSF: PSFModel
    public var referencePSF: PSFModel
    /// Background noise σ_n and σ_r per pixel, image units, without source
    /// noise. For a resampled image use the noise before resampling: the
    /// matched filter integrates over PSF scales, where resampling leaves the
    /// noise power unchanged.
    public var newSigma: Double
    public var referenceSigma: Double
    /// F_n / F_r: how much brighter a source of fixed flux appears in N than
    /// in R, fitted on matched stars.
    public var fluxRatio: Double
    /// Whether to correct S_corr for residual structure and non-white noise
    /// (see ``ScoreNormalization``).
    public var normalizeScore = false
    /// Gains in e⁻/ADU for the source-noise terms (V_Sn, V_Sr); nil leaves
    /// source noise out.
    public var newGain: Double?
    public var referenceGain: Double?
    /// Registration error σ_x, σ_y in pixels, for the astrometric term.
    public var astrometricSigmaX: Double
    public var astrometricSigmaY: Double

    /// Bundles the inputs; see each property for units.
    public init(new: MaskedImage, reference: MaskedImage, newPSF: PSFModel, referencePSF: PSFModel,
                newSigma: Double, referenceSigma: Double, fluxRatio: Double,
                newGain: Double? = nil, referenceGain: Double? = nil,
                astrometricSigmaX: Double = 0, astrometricSigmaY: Double = 0) {
        self.new = new
        self.reference = reference
        self.newPSF = newPSF
        self.referencePSF = referencePSF
        self.newSigma = newSigma
        self.referenceSigma = referenceSigma
        self.fluxRatio = fluxRatio
        self.newGain = newGain
        self.referenceGain = referenceGain
        self.astrometricSigmaX = astrometricSigmaX
        self.astrometricSigmaY = astrometricSigmaY
    }
}

/// The products of a ZOGY subtraction, on the reference grid.
public struct ZOGYResult: Sendable {
    /// D: the proper difference image; its background noise is white with
    /// unit variance.
    public let difference: Image<Float>
    /// P_D: the PSF of D, as a stamp the size of the larger input PSF,
    /// centred, sum 1.
    public let differencePSF: PSFModel
    /// S: the matched-filter score image, S = k_n ⊗ N − k_r ⊗ R.
    public let score: Image<Float>
    /// V_S: the variance of S per pixel (background, source noise of both
    /// images, and astrometric noise).
    public let scoreVariance: Image<Float>
    /// S_corr = S / √V_S: the detection significance in σ; when the input
    /// asked for it, corrected by ``ScoreNormalization``.
    public let scoreCorrected: Image<Float>
    /// The median local rms of ZOGY's S_corr that the normalization divided
    /// out (1 when not normalized, or when ZOGY's noise model held).
    public let scoreNormalization: Double
    /// F_S (eq. 42): S at a point source divided by its flux in reference
    /// units, so flux = S / F_S and its error √V_S / F_S.
    public let fluxScale: Double
    /// F_D (eq. 15): the flux zero point of D.
    public let differenceZeroPoint: Double
    /// Input masks merged: the union of both images' bits, plus `.edge` within
    /// a kernel width of the image border or of no-data (the footprint's
    /// edge), and `.nearDefect` within a kernel width of zeroed defects (2 px
    /// of interpolated ones), where residuals ring.
    public let mask: Image<MaskBits>
    /// Robust standard deviation of D and of ZOGY's S_corr (before any
    /// normalization) over clean pixels: ≈ 1 when the noise model holds.
    public let differenceStd: Double
    public let scoreCorrectedStd: Double

    /// The products from values (a stage rebuilding them from a message).
    public init(difference: Image<Float>, differencePSF: PSFModel, score: Image<Float>, scoreVariance: Image<Float>,
                scoreCorrected: Image<Float>, scoreNormalization: Double, fluxScale: Double, differenceZeroPoint: Double,
                mask: Image<MaskBits>, differenceStd: Double, scoreCorrectedStd: Double) {
        self.difference = difference
        self.differencePSF = differencePSF
        self.score = score
        self.scoreVariance = scoreVariance
        self.scoreCorrected = scoreCorrected
        self.scoreNormalization = scoreNormalization
        self.fluxScale = fluxScale
        self.differenceZeroPoint = differenceZeroPoint
        self.mask = mask
        self.differenceStd = differenceStd
        self.scoreCorrectedStd = scoreCorrectedStd
    }
}

/// Why a subtraction could not be made.
public struct SubtractionError: Error, CustomStringConvertible, Sendable {
    /// What was wrong with the inputs.
    public let reason: String
    public var description: String { "subtraction failed: \(reason)" }
}
