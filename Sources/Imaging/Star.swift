/// A point-like source measured on a background-subtracted image: what
/// registration matches, what the PSF is built from, and what the reference
/// catalogue (`distnr`, `magnr`) holds.
public struct Star: Sendable, Equatable {
    /// Windowed centroid, 0-based array coordinates.
    public var position: PixelPoint
    /// Flux in a circular aperture, image units (ADU or e⁻).
    public var flux: Double
    /// 1σ error on `flux` from the background noise (and source noise when
    /// the gain is known).
    public var fluxError: Double
    /// Highest pixel value above background.
    public var peak: Double
    /// Shape from adaptive moments; nil when they did not converge.
    public var shape: SourceShape?
    /// Why the star is not clean.
    public var flags: StarFlags

    /// Signal-to-noise of the aperture flux.
    public var snr: Double { fluxError > 0 ? flux / fluxError : 0 }
    /// FWHM in pixels from the moments, or NaN.
    public var fwhm: Double { shape?.fwhm ?? .nan }
    /// Elongation A/B from the moments, or NaN.
    public var elongation: Double { shape?.elongation ?? .nan }
}

/// Defects of a detected source, in the spirit of SExtractor's FLAGS.
public struct StarFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Another source's peak lies within the isolation radius.
    public static let crowded = StarFlags(rawValue: 1 << 0)
    /// The segment held more than one peak.
    public static let blended = StarFlags(rawValue: 1 << 1)
    /// A saturated pixel within the aperture.
    public static let saturated = StarFlags(rawValue: 1 << 2)
    /// The aperture runs off the image.
    public static let edge = StarFlags(rawValue: 1 << 3)
    /// A masked (bad, cosmic-ray, trail) pixel within the aperture.
    public static let masked = StarFlags(rawValue: 1 << 4)
}
