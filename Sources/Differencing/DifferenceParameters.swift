import Extraction
import Imaging
import Preprocessing

/// Everything that shapes one difference: preprocessing, registration,
/// subtraction inputs and extraction. Defaults suit survey CCDs.
public struct DifferenceParameters: Sendable {
    /// Masks, background, stars and PSF (applied to both images).
    public var preprocess = PreprocessParameters()
    /// Star matching and the transform's order.
    public var match = MatchParameters()
    /// Candidate detection and measurement on S_corr.
    public var extraction = ExtractionParameters()
    /// Matched stars used to fit F_n/F_r need at least this S/N in both images.
    public var fluxRatioMinimumSNR: Double = 30
    /// Floor on the registration error σ_x, σ_y given to ZOGY, pixels.
    public var minimumAstrometricSigma: Double = 0.01
    /// Correct S_corr locally for residual structure and non-white noise
    /// before detection (see `ScoreNormalization`). On for real data; the
    /// factor applied is recorded with each difference.
    public var normalizeScore = true

    /// The defaults.
    public init() {}
}
