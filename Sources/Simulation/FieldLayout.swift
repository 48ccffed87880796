import Foundation
import Imaging

/// The name and sky position of a field: the centre of its reference image.
public struct FieldLayout: Sendable, Hashable, Codable {
    /// 0-based field number.
    public let index: Int
    /// `OBJECT` of its images, `NOC-Fnn` (e.g. `NOC-F00`).
    public let name: String
    /// Right ascension of the centre, degrees in [0, 360).
    public let ra: Double
    /// Declination of the centre, degrees.
    public let dec: Double
    /// What the position is, e.g. "COSMOS" or "random".
    public let label: String

    /// Field centres. The first three test the geometry: an ordinary field,
    /// one whose footprint comes close to the north celestial pole, and one
    /// that straddles RA = 0 even in a 256-pixel image. The rest are well-known
    /// survey fields observable from the north.
    static let known: [(ra: Double, dec: Double, label: String)] = [
        (150.1, 2.2, "COSMOS"),
        (45.0, 88.5, "north celestial pole"),
        (0.02, 1.8, "RA 0h"),
        (189.23, 62.24, "GOODS-N"),
        (214.8, 52.8, "Extended Groth Strip"),
        (34.4, -5.1, "XMM-LSS"),
        (269.73, 66.56, "north ecliptic pole"),
        (161.0, 58.0, "Lockman Hole"),
    ]

    /// Field `index`; beyond the known list, a random position with
    /// declination in [-20, 70] degrees drawn from the field's own stream.
    static func field(_ index: Int, seed: UInt64) -> FieldLayout {
        let name = "NOC-F" + (index < 10 ? "0\(index)" : "\(index)")
        if index < known.count {
            let entry = known[index]
            return FieldLayout(index: index, name: name, ra: entry.ra, dec: entry.dec, label: entry.label)
        }
        var random = RandomStream.field(index, .fieldLayout, seed: seed)
        let ra = random.uniform(0, 360)
        // Uniform over the sphere between the two declinations.
        let low = sin(-20 * Double.pi / 180), high = sin(70 * Double.pi / 180)
        let dec = asin(random.uniform(low, high)) * 180 / Double.pi
        return FieldLayout(index: index, name: name, ra: ra, dec: dec, label: "random")
    }
}
