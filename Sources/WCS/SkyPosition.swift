#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A position on the sky in the frame of the image's WCS (normally ICRS/FK5
/// J2000), in degrees.
public struct SkyPosition: Sendable, Hashable {
    /// Right ascension in degrees, in `[0, 360)` for positions that come out of
    /// a ``WCSTransform``; NaN marks a point that could not be converted.
    public var ra: Double
    /// Declination in degrees, in `[-90, 90]`; NaN marks a failed conversion.
    public var dec: Double

    /// A position at (`ra`, `dec`) degrees, stored as given (not normalized).
    public init(ra: Double, dec: Double) {
        self.ra = ra
        self.dec = dec
    }

    /// Whether both coordinates are finite, i.e. the conversion succeeded.
    public var isValid: Bool { ra.isFinite && dec.isFinite }

    /// The angular distance to `other` in degrees, by the haversine formula,
    /// which stays accurate for the arcsecond separations we compare.
    public func separation(to other: SkyPosition) -> Double {
        let radians = Double.pi / 180
        let dDec = (other.dec - dec) * radians
        let dRA = (other.ra - ra) * radians
        let sinHalfDec = sin(dDec / 2)
        let sinHalfRA = sin(dRA / 2)
        let h = sinHalfDec * sinHalfDec
            + cos(dec * radians) * cos(other.dec * radians) * sinHalfRA * sinHalfRA
        return 2 * asin(min(1, h.squareRoot())) / radians
    }
}

extension SkyPosition {
    /// Wraps a longitude in degrees into `[0, 360)`; NaN and infinities pass
    /// through.
    ///
    /// WCSLIB returns longitudes anywhere within 360 degrees of CRVAL1, so a
    /// field at RA 0 gives both 359.9 and -0.1; catalogues and the database
    /// want one range.
    @inlinable public static func normalizedRA(_ degrees: Double) -> Double {
        guard degrees.isFinite else { return degrees }
        var wrapped = degrees.truncatingRemainder(dividingBy: 360)
        if wrapped < 0 { wrapped += 360 }
        // -1e-17 + 360 rounds to exactly 360, which is outside the range.
        return wrapped >= 360 ? 0 : wrapped
    }
}
