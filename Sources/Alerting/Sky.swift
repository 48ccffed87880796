import Foundation

/// Sky geometry: positions as unit vectors so that distances need no
/// special cases at RA = 0/360 or near the poles.
public enum Sky {
    /// Arcseconds in one degree.
    public static let arcsecPerDegree = 3600.0
    /// The largest meaningful radius: half the sky, 180° in arcseconds.
    public static let maxRadiusArcsec = 180.0 * 3600.0

    /// Great-circle separation between two positions (degrees in), in arcseconds.
    ///
    /// Uses the Vincenty form, which stays accurate for tiny and for
    /// antipodal separations alike (acos of a dot product loses precision
    /// below about an arcsecond).
    public static func separationArcsec(ra1: Double, dec1: Double, ra2: Double, dec2: Double) -> Double {
        let d2r = Double.pi / 180
        let dra = (ra2 - ra1) * d2r
        let (s1, c1) = (sin(dec1 * d2r), cos(dec1 * d2r))
        let (s2, c2) = (sin(dec2 * d2r), cos(dec2 * d2r))
        let a = c2 * sin(dra)
        let b = c1 * s2 - s1 * c2 * cos(dra)
        let num = (a * a + b * b).squareRoot()
        let den = s1 * s2 + c1 * c2 * cos(dra)
        return atan2(num, den) / d2r * arcsecPerDegree
    }

    /// Squared chord length between two unit vectors separated by `radiusArcsec`.
    /// Comparing squared chords avoids a trigonometric call per test and keeps
    /// full precision for arcsecond radii.
    static func chord2(radiusArcsec: Double) -> Double {
        let half = min(radiusArcsec, maxRadiusArcsec) / arcsecPerDegree * Double.pi / 360
        let s = sin(half)
        return 4 * s * s
    }

    /// RA folded into [0, 360) degrees.
    static func normalizedRA(_ ra: Double) -> Double {
        let r = ra.truncatingRemainder(dividingBy: 360)
        return r < 0 ? r + 360 : (r >= 360 ? 0 : r)
    }
}

/// A position on the unit sphere (equatorial x, y, z).
struct SkyVector: Sendable, Equatable {
    var x: Double
    var y: Double
    var z: Double

    /// From RA and Dec in degrees.
    init(ra: Double, dec: Double) {
        let d2r = Double.pi / 180
        let cd = cos(dec * d2r)
        x = cd * cos(ra * d2r)
        y = cd * sin(ra * d2r)
        z = sin(dec * d2r)
    }

    /// Squared chord distance to another vector (0 … 4).
    @inline(__always) func chord2(_ o: SkyVector) -> Double {
        let dx = x - o.x
        let dy = y - o.y
        let dz = z - o.z
        return dx * dx + dy * dy + dz * dz
    }
}

/// A circle on the sky: centre (degrees) and radius (arcseconds), optionally named
/// (watch-list entries carry the object's name).
public struct SkyCone: Sendable, Equatable, Codable {
    /// Centre right ascension, degrees in [0, 360).
    public let ra: Double
    /// Centre declination, degrees in [-90, 90].
    public let dec: Double
    /// Radius, arcseconds in (0, 648000].
    public let radiusArcsec: Double
    /// The object's name, for watch-list entries.
    public let name: String?
    let vector: SkyVector
    let chord2: Double

    /// Validates and makes a cone; throws a message naming the bad key.
    public init(ra: Double, dec: Double, radiusArcsec: Double, name: String? = nil) throws(SkyConeError) {
        guard ra.isFinite, ra >= 0, ra < 360 else {
            throw SkyConeError(key: "ra", message: "ra \(ra) outside [0, 360) degrees")
        }
        guard dec.isFinite, dec >= -90, dec <= 90 else {
            throw SkyConeError(key: "dec", message: "dec \(dec) outside [-90, 90] degrees")
        }
        guard radiusArcsec.isFinite, radiusArcsec > 0, radiusArcsec <= Sky.maxRadiusArcsec else {
            throw SkyConeError(
                key: "radius_arcsec", message: "radius_arcsec \(radiusArcsec) must be > 0 and ≤ 648000 (180°)")
        }
        self.ra = ra
        self.dec = dec
        self.radiusArcsec = radiusArcsec
        self.name = name
        vector = SkyVector(ra: ra, dec: dec)
        chord2 = Sky.chord2(radiusArcsec: radiusArcsec)
    }

    /// Whether a position (degrees) lies inside or on the circle.
    public func contains(ra: Double, dec: Double) -> Bool { contains(SkyVector(ra: ra, dec: dec)) }

    @inline(__always) func contains(_ v: SkyVector) -> Bool { vector.chord2(v) <= chord2 }

    enum CodingKeys: String, CodingKey {
        case ra, dec
        case radiusArcsec = "radius_arcsec"
        case name
    }

    /// Decodes and re-validates (a stored cone is checked like a typed one).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            ra: c.decode(Double.self, forKey: .ra), dec: c.decode(Double.self, forKey: .dec),
            radiusArcsec: c.decode(Double.self, forKey: .radiusArcsec),
            name: c.decodeIfPresent(String.self, forKey: .name))
    }

    /// Encodes centre, radius and name only.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ra, forKey: .ra)
        try c.encode(dec, forKey: .dec)
        try c.encode(radiusArcsec, forKey: .radiusArcsec)
        try c.encodeIfPresent(name, forKey: .name)
    }

    /// Same centre, radius and name.
    public static func == (a: SkyCone, b: SkyCone) -> Bool {
        a.ra == b.ra && a.dec == b.dec && a.radiusArcsec == b.radiusArcsec && a.name == b.name
    }
}

/// Why a cone was refused: the key (`ra`, `dec`, `radius_arcsec`) and a message.
public struct SkyConeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending key.
    public let key: String
    /// What is wrong.
    public let message: String
    /// `key: message`.
    public var description: String { "\(key): \(message)" }
}

/// A list of cones searched by declination band: entries are kept sorted by
/// Dec so a test looks only at entries whose Dec is within the largest radius,
/// instead of every entry (watch lists can hold thousands of objects).
struct Watchlist: Sendable, Equatable {
    /// Entries in the order the rule gave them (kept for canonical JSON).
    let entries: [SkyCone]
    private let byDec: [SkyCone]
    private let maxRadiusDeg: Double

    init(_ entries: [SkyCone]) {
        self.entries = entries
        byDec = entries.sorted { $0.dec < $1.dec }
        maxRadiusDeg = (entries.map(\.radiusArcsec).max() ?? 0) / Sky.arcsecPerDegree
    }

    /// Whether the position is inside any entry. `dec` in degrees, `v` its vector.
    func contains(_ v: SkyVector, dec: Double) -> Bool {
        // Separation is never less than the Dec difference, so entries outside
        // [dec - r, dec + r] cannot contain the point.
        var lo = 0
        var hi = byDec.count
        let low = dec - maxRadiusDeg
        while lo < hi {
            let mid = (lo + hi) / 2
            if byDec[mid].dec < low { lo = mid + 1 } else { hi = mid }
        }
        let high = dec + maxRadiusDeg
        var i = lo
        while i < byDec.count, byDec[i].dec <= high {
            if byDec[i].contains(v) { return true }
            i += 1
        }
        return false
    }
}
