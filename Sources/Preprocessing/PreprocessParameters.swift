import Imaging

/// How a raw image is prepared for subtraction. Defaults suit survey CCDs with
/// 1.5–6 px seeing; every field says its unit.
public struct PreprocessParameters: Sendable, Equatable {
    /// The background mesh (SExtractor BACK_SIZE, BACK_FILTERSIZE).
    public var background = BackgroundParameters()
    /// Pixels at or above this fraction of SATURATE are saturated.
    public var saturationFraction: Double = 0.95
    /// Saturated regions grow by this many pixels (halo and bleed edges).
    public var saturationGrowth: Int = 2
    /// Cosmic rays and hot pixels: a pixel must stand this many σ above the
    /// sky to be examined.
    public var cosmicRaySigma: Double = 6
    /// …and its dimmest neighbour must fall this many σ below what the
    /// sharpest possible star would leave there.
    public var cosmicRayContrastSigma: Double = 4
    /// A segment whose minor axis (adaptive moments) is narrower than this
    /// fraction of the PSF's σ is a cosmic-ray track: nothing on the sky is
    /// sharper than the PSF in any direction.
    public var cosmicRayMinorAxisFraction: Double = 0.75
    /// …judged only for segments peaking above this many σ, where the
    /// moments are reliable.
    public var cosmicRayTrackSigma: Double = 12
    /// A pixel is too sharp to be a star when the mean of its 4 neighbours
    /// is below this fraction of what the image's PSF predicts.
    public var cosmicRaySharpness: Double = 0.5
    /// Peeling passes for cosmic-ray tracks (each pass frees the next pixel
    /// along a track).
    public var cosmicRayIterations: Int = 8
    /// Bad columns: rows per block over which a column's median is compared
    /// with its neighbours', and the significance needed, in σ of that median.
    public var badColumnBlock: Int = 128
    public var badColumnSigma: Double = 6
    /// Satellite trails: detection threshold on the smoothed image (σ), the
    /// minimum length (pixels) and elongation of a trail segment, and the
    /// half-width of the masked band in seeing FWHM.
    public var trailThreshold: Double = 2.5
    public var trailMinimumLength: Double = 150
    public var trailMinimumElongation: Double = 8
    public var trailHalfWidthInFWHM: Double = 2.5
    /// Star detection and PSF estimation.
    public var stars = StarDetectionParameters()
    public var psf = PSFParameters()

    /// The defaults.
    public init() {}
}
