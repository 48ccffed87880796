import Foundation
import Imaging
import WCS

/// A solar-system-like object moving along a great circle at a constant
/// rate through a field's science images; absent from the references.
public struct MovingObject: Sendable, Hashable {
    /// `Fnn-Mnn`, e.g. `F00-M02`.
    public let id: String
    /// Right ascension at `epochMJD`, degrees.
    public let ra: Double
    /// Declination at `epochMJD`, degrees.
    public let dec: Double
    /// When it is at (`ra`, `dec`): the middle of the night, MJD.
    public let epochMJD: Double
    /// Rate of motion, arcseconds per hour.
    public let rateArcsecPerHour: Double
    /// Direction of motion at (`ra`, `dec`), degrees east of north.
    public let bearing: Double
    /// Flux above the atmosphere, e⁻ per second (constant through the night).
    public let fluxRate: Double
    /// The S/N its flux was drawn for, at the field's median conditions.
    public let snr: Double

    /// Its sky position at `mjd`, moved along the great circle through
    /// (`ra`, `dec`) with the given bearing. Exact on the sphere, so it holds
    /// at the pole and across RA = 0.
    public func position(at mjd: Double) -> SkyPosition {
        let radians = Double.pi / 180
        let distance = rateArcsecPerHour * (mjd - epochMJD) * 24 / 3600 * radians
        let a = ra * radians, d = dec * radians, b = bearing * radians
        let start = SIMD3(cos(d) * cos(a), cos(d) * sin(a), sin(d))
        let north = SIMD3(-sin(d) * cos(a), -sin(d) * sin(a), cos(d))
        let east = SIMD3(-sin(a), cos(a), 0.0)
        let direction = cos(b) * north + sin(b) * east
        let p = cos(distance) * start + sin(distance) * direction
        return SkyPosition(ra: SkyPosition.normalizedRA(atan2(p.y, p.x) / radians),
                           dec: asin(max(-1, min(1, p.z))) / radians)
    }
}

/// Draws a field's moving objects: mid-night positions uniform over the
/// reference image, random direction, uniform rate, log-uniform S/N.
enum MovingObjectPlanner {
    static func draw(field: Int, configuration c: NightConfiguration, reference: WCSTransform, rateForSNR: Double,
                     nightMidMJD: Double) throws(SimulationError) -> [MovingObject] {
        var random = RandomStream.field(field, .moving, seed: c.seed)
        var xs = [Double](), ys = [Double](), drafts = [(Double, Double, Double)]()
        for _ in 0..<c.injections.movingPerField {
            xs.append(random.uniform(0, Double(c.width - 1)))
            ys.append(random.uniform(0, Double(c.height - 1)))
            drafts.append((random.uniform(in: c.injections.movingRate), random.uniform(0, 360),
                           random.logUniform(in: c.injections.movingSNR)))
        }
        guard !xs.isEmpty else { return [] }
        let sky = try Geometry.sky(reference, arrayXs: xs, arrayYs: ys)
        let prefix = FieldLayout.idPrefix(field)
        return drafts.indices.map { k in
            let (rate, bearing, snr) = drafts[k]
            return MovingObject(id: "\(prefix)-M\(Geometry.digits(k + 1, 2))", ra: sky[k].ra, dec: sky[k].dec,
                                epochMJD: nightMidMJD, rateArcsecPerHour: rate, bearing: bearing,
                                fluxRate: snr * rateForSNR, snr: snr)
        }
    }
}
