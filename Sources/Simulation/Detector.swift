import Imaging

/// The camera's fixed defects, the same in every exposure of the night
/// (science and shallow reference exposures alike; the deep reference is a
/// clean coadd without them). Positions are 0-based array pixels.
public struct Detector: Sendable, Hashable, Codable {
    /// A pixel with a high dark current.
    public struct HotPixel: Sendable, Hashable, Codable {
        /// Column, 0-based.
        public let x: Int
        /// Row, 0-based.
        public let y: Int
        /// Dark charge in e⁻ per 60 s of exposure.
        public let electronsPerMinute: Double
    }

    /// A bad column over rows `firstRow ... lastRow` (0-based, inclusive).
    public struct BadColumn: Sendable, Hashable, Codable {
        /// Column, 0-based.
        public let x: Int
        /// First bad row, 0-based.
        public let firstRow: Int
        /// Last bad row, 0-based, inclusive.
        public let lastRow: Int
        /// Dead (reads only read noise) rather than hot.
        public let dead: Bool
        /// Offset of a hot column in units of the image's mean background noise.
        public let sigma: Double
    }

    /// The hot pixels, in the order drawn.
    public let hotPixels: [HotPixel]
    /// The bad column, if the configuration asks for one.
    public let badColumn: BadColumn?

    /// Draws the defects from the detector's own stream.
    static func draw(configuration c: NightConfiguration) -> Detector {
        var random = RandomStream.detector(seed: c.seed)
        let count = Int((c.artifacts.hotPixelDensity * Double(c.width * c.height) / (2048 * 2048)).rounded())
        let hot = (0..<count).map { _ in
            HotPixel(x: random.index(c.width), y: random.index(c.height),
                     electronsPerMinute: random.logUniform(in: c.artifacts.hotPixelElectrons))
        }
        let column = random.index(c.width * 8 / 10) + c.width / 10
        let partial = random.uniform() < 0.5
        let first = partial ? random.index(c.height / 2) : 0
        let last = partial ? min(c.height - 1, first + c.height / 4 + random.index(c.height / 2)) : c.height - 1
        let dead = random.uniform() < c.artifacts.deadColumnProbability
        let sigma = random.uniform(in: c.artifacts.badColumnSigma)
        let bad = c.artifacts.badColumn
            ? BadColumn(x: column, firstRow: first, lastRow: last, dead: dead, sigma: sigma) : nil
        return Detector(hotPixels: hot, badColumn: bad)
    }
}
