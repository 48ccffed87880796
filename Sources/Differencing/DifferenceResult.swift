import Extraction
import Imaging
import Preprocessing
import Subtraction

/// What one science image's trip through preprocessing, registration, ZOGY
/// and extraction produced, on the reference grid.
public struct DifferenceResult: Sendable {
    /// The science image's own preprocessing products (its grid).
    public let science: PreprocessedImage
    /// The science image resampled onto the reference grid.
    public let aligned: MaskedImage
    /// The PSF measured on the aligned image.
    public let alignedPSF: PSFModel
    /// The fitted map between the two grids and the matched stars.
    public let registration: Registration
    /// Astrometric rms of the star match, pixels and arcsec (reference scale).
    public let astrometricRMSPixels: Double
    public let astrometricRMSArcsec: Double
    /// F_n / F_r fitted on matched stars, its robust scatter, and the number used.
    public let fluxRatio: Double
    public let fluxRatioScatter: Double
    public let fluxRatioStars: Int
    /// D, P_D, S, S_corr and the merged mask.
    public let zogy: ZOGYResult
    /// Candidates and what was rejected.
    public let extraction: ExtractionOutput
    /// Wall time of each step, in order.
    public let timings: [StepTiming]
}

/// How long one step took.
public struct StepTiming: Sendable, Equatable {
    /// The step: preprocess, register, resample, psf, flux_ratio, subtract, extract.
    public let step: String
    /// Wall time, seconds.
    public let seconds: Double
}

/// Times steps with a monotonic clock.
struct StepClock {
    private let clock = ContinuousClock()
    private(set) var timings: [StepTiming] = []

    mutating func time<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
        let start = clock.now
        let value = try body()
        let elapsed = clock.now - start
        timings.append(StepTiming(step: step, seconds: Double(elapsed.components.seconds)
                                    + Double(elapsed.components.attoseconds) / 1e18))
        return value
    }
}

/// A science exposure preprocessed, registered and resampled onto a
/// reference grid, with what subtraction needs to know about it.
public struct AlignedExposure: Sendable {
    /// The exposure's own preprocessing products (its grid).
    public let science: PreprocessedImage
    /// The exposure on the reference grid.
    public let aligned: MaskedImage
    /// The PSF measured on the aligned image.
    public let alignedPSF: PSFModel
    /// The fitted map between the grids.
    public let registration: Registration
    /// Background σ of the aligned image as ZOGY needs it (before-resampling
    /// noise times the Jacobian), image units.
    public let newSigma: Double
    /// F_n / F_r, its robust scatter and the stars it came from.
    public let fluxRatio: Double
    public let fluxRatioScatter: Double
    public let fluxRatioStars: Int
}
