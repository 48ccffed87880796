extension NightConfiguration {
    /// The injected objects: what a pipeline should find. Counts per field do
    /// not scale with the image size.
    public struct Injections: Codable, Sendable, Hashable {
        /// Transients per field, absent from the references, >= 0. Default 25.
        public var transientsPerField: Int = 25
        /// Fraction of transients placed on a galaxy (kind `supernova_like`),
        /// [0, 1]. Default 0.4.
        public var supernovaFraction: Double = 0.4
        /// Fraction of transients placed next to a star; the rest not on a
        /// galaxy land on random sky. [0, 1], with `supernova_fraction` <= 1.
        /// Default 0.3.
        public var nearStarFraction: Double = 0.3
        /// Distance of a supernova-like transient from its host's centre, in
        /// half-light radii along the host's ellipse, uniform. Default [0.3, 2].
        public var hostOffset = ValueRange(0.3, 2)
        /// Distance of a near-star transient from the star in pixels, uniform.
        /// Default [1.5, 5].
        public var starOffset = ValueRange(1.5, 5)
        /// Peak S/N of a transient in one science epoch's difference image,
        /// log-uniform: matched-filter S/N against sky and read noise only,
        /// at the field's median conditions; within (0, 1e5]. Default [3, 200].
        public var transientSNR = ValueRange(3, 200)
        /// Fraction of unsaturated stars that vary, [0, 1]. Default 0.02.
        public var variableFraction: Double = 0.02
        /// Semi-amplitude of a variable as a fraction of its mean (reference)
        /// flux, uniform; within [0, 0.95]. Default [0.1, 0.6].
        public var variableAmplitude = ValueRange(0.1, 0.6)
        /// Period of a variable in hours, uniform, > 0. Default [1, 10].
        public var variablePeriodHours = ValueRange(1, 10)
        /// Moving objects per field, absent from the references, >= 0. Default 3.
        public var movingPerField: Int = 3
        /// Rate of motion in arcseconds per hour, uniform, >= 0. Default [10, 60].
        public var movingRate = ValueRange(10, 60)
        /// S/N of a moving object in one science epoch, log-uniform, as for
        /// transients. Default [5, 100].
        public var movingSNR = ValueRange(5, 100)

        /// The defaults.
        public init() {}
    }

    /// Artifacts. Cosmic rays, hot pixels, the bad column and satellite
    /// trails appear in science images and shallow reference exposures, never
    /// in the deep reference (a clean coadd).
    public struct Artifacts: Codable, Sendable, Hashable {
        /// Cosmic-ray hits per 2048² pixels per 60 s of exposure, >= 0. Default 150.
        public var cosmicRayRate: Double = 150
        /// Charge a cosmic ray leaves in each pixel it crosses, e⁻, log-uniform;
        /// > 0. Default [500, 20000].
        public var cosmicRayElectrons = ValueRange(500, 20000)
        /// Length of a cosmic-ray track in pixels, uniform; [1, 100]. Default [2, 12].
        public var cosmicRayLength = ValueRange(2, 12)
        /// Width of a cosmic-ray track in pixels, uniform; [0.5, 5]. Default [1, 3].
        public var cosmicRayWidth = ValueRange(1, 3)
        /// Fraction of cosmic rays that hit a single pixel, [0, 1]. Default 0.3.
        public var singlePixelFraction: Double = 0.3
        /// Hot pixels per 2048² pixels of detector, the same detector pixels in
        /// every exposure of the night, >= 0. Default 40.
        public var hotPixelDensity: Double = 40
        /// Dark charge of a hot pixel in e⁻ per 60 s, log-uniform; > 0.
        /// Default [300, 20000].
        public var hotPixelElectrons = ValueRange(300, 20000)
        /// Whether the detector has one bad column. Default true.
        public var badColumn: Bool = true
        /// Offset of a hot bad column in units of the per-pixel background
        /// noise, uniform. Default [30, 80].
        public var badColumnSigma = ValueRange(30, 80)
        /// Probability that the bad column is dead (reads only read noise)
        /// rather than hot, [0, 1]. Default 0.3.
        public var deadColumnProbability: Double = 0.3
        /// Probability that a science exposure has a satellite trail, [0, 1].
        /// Default 0.2.
        public var trailProbability: Double = 0.2
        /// S/N of a trail per pixel of its length (its flux across the trail
        /// against the background noise under the trail's profile), uniform;
        /// > 0. Default [10, 50].
        public var trailSNR = ValueRange(10, 50)

        /// The defaults.
        public init() {}
    }
}
