import Imaging
import WCS

/// A static galaxy of a field.
public struct Galaxy: Sendable, Hashable {
    /// `Fnn-Gnnnnn`, e.g. `F00-G00007`.
    public let id: String
    /// Right ascension of the centre, degrees [0, 360).
    public let ra: Double
    /// Declination of the centre, degrees.
    public let dec: Double
    /// Total flux of the (tapered) profile above the atmosphere, e⁻ per second.
    public let rate: Double
    /// Magnitude of `rate` on the night's zero point.
    public let mag: Double
    /// Sérsic index: 1 (exponential) or 4 (de Vaucouleurs).
    public let sersicIndex: Int
    /// Semi-major half-light radius, reference pixels.
    public let halfLightRadius: Double
    /// Axis ratio b/a = 1 - ellipticity.
    public let axisRatio: Double
    /// Direction of the major axis in the reference pixel frame, degrees
    /// from +x towards +y, [0, 180).
    public let angle: Double

    /// Position angle of the major axis on the sky, degrees east of north,
    /// [0, 180). The reference grid has north up (+y) and east left (-x), so
    /// a major axis along +x points west: PA = angle - 90.
    public var positionAngle: Double {
        let pa = angle - 90
        return pa < 0 ? pa + 180 : pa
    }

    /// The profile to render.
    var profile: SersicProfile {
        SersicProfile(index: sersicIndex, halfLightRadius: halfLightRadius, axisRatio: axisRatio, angleDegrees: angle)
    }
}

/// Draws a field's galaxies: positions uniform over the reference image and
/// margin, magnitudes from a power law, sizes log-uniform, ellipticity
/// uniform, angle uniform.
enum GalaxyCatalogue {
    static func draw(field: Int, configuration c: NightConfiguration, reference: WCSTransform,
                     margin: Double) throws(SimulationError) -> [Galaxy] {
        var random = RandomStream.field(field, .galaxies, seed: c.seed)
        let width = Double(c.width) + 2 * margin, height = Double(c.height) + 2 * margin
        let count = Int((c.sources.galaxyDensity * width * height / (2048 * 2048)).rounded())
        guard count > 0 else { return [] }
        let s = c.sources
        let faint = Magnitudes.rate(s.galaxyMagnitudes.upper, zeroPoint: c.camera.zeroPoint)
        let bright = Magnitudes.rate(s.galaxyMagnitudes.lower, zeroPoint: c.camera.zeroPoint)
        var xs = [Double](), ys = [Double](), shapes = [(Double, Int, Double, Double, Double)]()
        for _ in 0..<count {
            xs.append(random.uniform(-margin, Double(c.width - 1) + margin))
            ys.append(random.uniform(-margin, Double(c.height - 1) + margin))
            let rate = random.powerLaw(faint: faint, bright: bright, slope: s.galaxyCountSlope)
            let index = random.uniform() < s.deVaucouleursFraction ? 4 : 1
            let radius = random.logUniform(in: s.halfLightRadius)
            let axisRatio = 1 - random.uniform(in: s.ellipticity)
            shapes.append((rate, index, radius, axisRatio, random.uniform(0, 180)))
        }
        let sky = try Geometry.sky(reference, arrayXs: xs, arrayYs: ys)
        let prefix = FieldLayout.idPrefix(field)
        return (0..<count).map { k in
            let (rate, index, radius, axisRatio, angle) = shapes[k]
            return Galaxy(id: "\(prefix)-G\(Geometry.digits(k + 1, 5))", ra: sky[k].ra, dec: sky[k].dec, rate: rate,
                          mag: Magnitudes.mag(rate, zeroPoint: c.camera.zeroPoint), sersicIndex: index,
                          halfLightRadius: radius, axisRatio: axisRatio, angle: angle)
        }
    }
}
