import Imaging

/// A raw image made ready for registration and subtraction: background
/// subtracted, defects masked (small ones repaired), stars and PSF measured.
public struct PreprocessedImage: Sendable {
    /// Background-subtracted pixels (small defects interpolated), the sky
    /// variance per pixel (rms², image units²) and the mask.
    public var masked: MaskedImage
    /// The background model (level and rms maps).
    public var background: BackgroundModel
    /// Detected sources, brightest first (0-based array positions).
    public var stars: [Star]
    /// The empirical PSF (a Moffat of the measured seeing when too few clean
    /// stars exist; see ``psfIsEmpirical``).
    public var psf: PSFModel
    public var psfIsEmpirical: Bool
    /// Seeing FWHM, pixels.
    public var seeing: Double { psf.fwhm }
    /// Global sky rms per pixel, image units.
    public var backgroundRMS: Double
    /// The white-noise σ with the same effect at PSF scales: the pixel rms
    /// for a raw exposure; for a stack, the σ propagated from its inputs
    /// (header SKYSIG), because resampling correlates noise and lowers the
    /// pixel rms without lowering the noise a matched filter sees. This is
    /// the σ subtraction needs.
    public var effectiveSigma: Double
    /// Gain e⁻/ADU and saturation level (ADU above background), when known.
    public var gain: Double?
    public var saturationAboveBackground: Double?
    /// How many pixels each defect mask covers, for the run's record.
    public var maskCounts: [String: Int]
    /// Satellite trails found, as line endpoints (0-based array coordinates).
    public var trails: [(PixelPoint, PixelPoint)]
}

/// Why an image could not be preprocessed.
public struct PreprocessError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "preprocessing failed: \(reason)" }
}
