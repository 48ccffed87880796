/// Everything that defines a simulated night. With the same configuration
/// (seed included) the simulator writes bit-identical files.
///
/// Decoded from YAML or JSON with snake_case keys; every key is optional and
/// takes the default documented on its property, and an unknown key is an
/// error naming it. ``validate()`` checks ranges and names the key at fault.
/// Densities are given per 2048 x 2048 pixels and scale with the image area.
public struct NightConfiguration: Codable, Sendable, Hashable {
    /// Seed of every random draw, 0 ... 2^63 - 1 (written as the `NOCSEED`
    /// header integer). Default 42.
    public var seed: UInt64 = 42
    /// Number of fields, >= 1. Default 3. Field `k` is the same whatever the
    /// number of fields: each draws from its own random streams.
    public var fields: Int = 3
    /// Science epochs per field, >= 1. Default 8.
    public var epochs: Int = 8
    /// Image width in pixels (`NAXIS1`), 64 ... 16384. Default 2048.
    public var width: Int = 2048
    /// Image height in pixels (`NAXIS2`), 64 ... 16384. Default 2048.
    public var height: Int = 2048
    /// Shallow reference exposures per field written besides the deep
    /// reference, for stacking; each has `camera.exposure * camera.reference_depth
    /// / reference_exposures` seconds, so together they are as deep as the deep
    /// reference. 0 ... 100. Default 0.
    public var referenceExposures: Int = 0
    /// When and where the night is observed.
    public var night = Night()
    /// The camera and photometric calibration.
    public var camera = Camera()
    /// Seeing, transparency, sky and pointing.
    public var conditions = Conditions()
    /// Static stars and galaxies.
    public var sources = Sources()
    /// The injected objects a pipeline should find.
    public var injections = Injections()
    /// Detector and sky artifacts in science images.
    public var artifacts = Artifacts()

    /// The defaults documented on each property.
    public init() {}

    /// When and where the night is observed.
    public struct Night: Codable, Sendable, Hashable {
        /// Start of the first exposure slot, UTC, ISO 8601 `YYYY-MM-DDThh:mm:ss`
        /// (a trailing `Z` is allowed). Default `2026-11-22T20:00:00`.
        public var start: String = "2026-11-22T20:00:00"
        /// Length of the night in hours, (0, 16]. Default 8 (to 04:00 UTC).
        /// Each field's epochs are spread evenly over it.
        public var durationHours: Double = 8
        /// Days between the reference images and the night, >= 1. Default 30.
        /// The references are taken before any transient appears.
        public var referenceDaysBefore: Double = 30
        /// Observatory latitude in degrees, used for the altitude and
        /// `AIRMASS` of each exposure. Default 28.76 (La Palma).
        public var siteLatitude: Double = 28.76
        /// Filter name written as `FILTER`. Default `r`.
        public var filter: String = "r"

        /// The defaults.
        public init() {}
    }

    /// The camera and photometric calibration.
    public struct Camera: Codable, Sendable, Hashable {
        /// Pixel scale in arcseconds per pixel, > 0. Default 1.0.
        public var pixelScale: Double = 1.0
        /// Gain in e⁻ per ADU (`GAIN`), > 0. Default 1.6.
        public var gain: Double = 1.6
        /// Read noise of one exposure in e⁻ (`RDNOISE`), >= 0. Default 6.
        public var readNoise: Double = 6
        /// Saturation level of one exposure in ADU (`SATURATE`); the full well
        /// is `saturation * gain` e⁻. > 0. Default 55000.
        public var saturation: Double = 55000
        /// Exposure time of a science image in seconds (`EXPTIME`), > 0. Default 60.
        public var exposure: Double = 60
        /// The deep reference is the sum of this many science-length exposures
        /// (`EXPTIME`, `SATURATE` and read-noise variance scale with it), >= 1.
        /// Default 10.
        public var referenceDepth: Int = 10
        /// Photometric zero point: mag = zero_point - 2.5 log10(flux in e⁻/s
        /// above the atmosphere). Default 25.
        public var zeroPoint: Double = 25

        /// The defaults.
        public init() {}
    }

    /// Seeing, transparency, sky and pointing, drawn per exposure.
    public struct Conditions: Codable, Sendable, Hashable {
        /// Moffat FWHM of science exposures in pixels, uniform; within [0.8, 20].
        /// Default [1.5, 3.5].
        public var fwhm = ValueRange(1.5, 3.5)
        /// Moffat β of every exposure, uniform; within [1.5, 10]. Default [2.5, 4.5].
        public var beta = ValueRange(2.5, 4.5)
        /// Moffat FWHM of the reference images in pixels, uniform. Default [1.8, 2.2].
        public var referenceFWHM = ValueRange(1.8, 2.2)
        /// Flux scale of science exposures (clouds and extinction together),
        /// uniform; within (0, 1]. Default [0.75, 1.0].
        public var transparency = ValueRange(0.75, 1.0)
        /// Flux scale of the reference images, uniform. Default [0.95, 1.0].
        public var referenceTransparency = ValueRange(0.95, 1.0)
        /// Mean sky in e⁻ per pixel for one exposure of `camera.exposure`
        /// seconds (scales with exposure time), uniform. Default [800, 1500].
        public var sky = ValueRange(800, 1500)
        /// Total fractional change of the sky across the image along a random
        /// direction (a linear gradient), uniform; within [0, 0.5]. Default [0.01, 0.05].
        public var skyGradient = ValueRange(0.01, 0.05)
        /// Largest pointing offset of an exposure from the field centre, in
        /// pixels along each axis (uniform in ±this), 0 ... less than half the
        /// image. Default 30.
        public var pointingOffset: Double = 30
        /// Largest rotation of an exposure in degrees (uniform in ±this),
        /// [0, 10]. Default 0.2.
        public var rotation: Double = 0.2

        /// The defaults.
        public init() {}
    }

    /// Static stars and galaxies, drawn once per field.
    public struct Sources: Codable, Sendable, Hashable {
        /// Stars per 2048² pixels, >= 0. Default 3000.
        public var starDensity: Double = 3000
        /// Star magnitudes, bright end first. Default [10, 23.5]: from ~100 times
        /// the saturation flux of a science exposure to below its 5σ limit (~22.3).
        public var starMagnitudes = ValueRange(10, 23.5)
        /// Slope s of the cumulative star counts N(>F) ∝ F^-s, > 0. Default
        /// 0.55, which with the defaults gives a few dozen saturated stars per
        /// 2048² science image (0.8 would give about six).
        public var starCountSlope: Double = 0.55
        /// Galaxies per 2048² pixels, >= 0. Default 300.
        public var galaxyDensity: Double = 300
        /// Galaxy total magnitudes, bright end first. Default [15.5, 23].
        public var galaxyMagnitudes = ValueRange(15.5, 23)
        /// Slope of the cumulative galaxy counts, > 0. Default 0.6.
        public var galaxyCountSlope: Double = 0.6
        /// Semi-major half-light radius in pixels, log-uniform; within [0.5, 50].
        /// Default [1.5, 8].
        public var halfLightRadius = ValueRange(1.5, 8)
        /// Ellipticity 1 - b/a, uniform; within [0, 0.9]. Default [0, 0.6].
        public var ellipticity = ValueRange(0, 0.6)
        /// Fraction of galaxies with a de Vaucouleurs (Sérsic n = 4) profile;
        /// the rest are exponential (n = 1). [0, 1]. Default 0.4.
        public var deVaucouleursFraction: Double = 0.4

        /// The defaults.
        public init() {}
    }
}
