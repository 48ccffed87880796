import Foundation
import Imaging
import WCS

/// A static star of a field.
public struct Star: Sendable, Hashable {
    /// `Fnn-Snnnnn`, e.g. `F00-S00042`.
    public let id: String
    /// Right ascension, degrees [0, 360).
    public let ra: Double
    /// Declination, degrees.
    public let dec: Double
    /// Mean flux above the atmosphere, e⁻ per second.
    public let rate: Double
    /// Magnitude of `rate` on the night's zero point.
    public let mag: Double
    /// How it varies, for the ~2 % of stars that do.
    public internal(set) var variability: Variability?
    /// Whether its brightest pixel in the deep reference (star and sky alone)
    /// reaches the reference's full well.
    public internal(set) var saturatedInReference: Bool = false
}

/// A sinusoidal variation around the mean (reference) flux.
public struct Variability: Sendable, Hashable, Codable {
    /// Semi-amplitude as a fraction of the mean flux.
    public let amplitude: Double
    /// Period in hours.
    public let periodHours: Double
    /// Phase in radians at `epochMJD`.
    public let phase: Double
    /// Zero point of the phase, MJD.
    public let epochMJD: Double

    /// Flux at `mjd` divided by the mean flux.
    public func factor(at mjd: Double) -> Double {
        1 + amplitude * sin(2 * Double.pi * (mjd - epochMJD) * 24 / periodHours + phase)
    }
}

/// Draws a field's stars: positions uniform over the reference image and a
/// margin around it (light from just outside reaches the shifted science
/// images), fluxes from a truncated power law in flux.
enum StarCatalogue {
    static func draw(field: Int, configuration c: NightConfiguration, reference: WCSTransform,
                     margin: Double) throws(SimulationError) -> [Star] {
        var random = RandomStream.field(field, .stars, seed: c.seed)
        let width = Double(c.width) + 2 * margin, height = Double(c.height) + 2 * margin
        let count = Int((c.sources.starDensity * width * height / (2048 * 2048)).rounded())
        guard count > 0 else { return [] }
        let faint = Magnitudes.rate(c.sources.starMagnitudes.upper, zeroPoint: c.camera.zeroPoint)
        let bright = Magnitudes.rate(c.sources.starMagnitudes.lower, zeroPoint: c.camera.zeroPoint)
        var xs = [Double](), ys = [Double](), rates = [Double]()
        for _ in 0..<count {
            xs.append(random.uniform(-margin, Double(c.width - 1) + margin))
            ys.append(random.uniform(-margin, Double(c.height - 1) + margin))
            rates.append(random.powerLaw(faint: faint, bright: bright, slope: c.sources.starCountSlope))
        }
        let sky = try Geometry.sky(reference, arrayXs: xs, arrayYs: ys)
        let prefix = FieldLayout.idPrefix(field)
        return (0..<count).map { index in
            Star(id: "\(prefix)-S\(Geometry.digits(index + 1, 5))", ra: sky[index].ra, dec: sky[index].dec,
                 rate: rates[index], mag: Magnitudes.mag(rates[index], zeroPoint: c.camera.zeroPoint))
        }
    }

    /// Marks the stars that saturate in `reference` and makes a fraction of
    /// those that never saturate (in any exposure of the field, at their
    /// brightest) variable.
    static func finish(_ stars: inout [Star], field: Int, configuration c: NightConfiguration,
                       reference: ExposurePlan, exposures: [ExposurePlan], nightMidMJD: Double) throws(SimulationError) {
        let transform = try Geometry.transform(reference.wcs)
        let pixels = try Geometry.arrayPixels(transform, stars.map(\.ra), stars.map(\.dec))
        let profile = MoffatProfile(fwhm: reference.fwhm, beta: reference.beta)
        let noise = NoiseModel(exposure: reference, configuration: c)
        let upper = profile.peakFraction()
        for index in stars.indices {
            let electrons = noise.electrons(rate: stars[index].rate)
            let x = pixels.xs[index], y = pixels.ys[index]
            let room = noise.fullWell - noise.sky(x: x, y: y)
            guard electrons * upper >= room else { continue }
            let peak = profile.peakFraction(phaseX: x - x.rounded(), phaseY: y - y.rounded())
            stars[index].saturatedInReference = electrons * peak >= room
        }
        // The brightest case of each exposure: best phase, the sky's mean.
        let worst = exposures.map { exposure -> Double in
            let model = NoiseModel(exposure: exposure, configuration: c)
            let peak = MoffatProfile(fwhm: exposure.fwhm, beta: exposure.beta).peakFraction()
            return model.electrons(rate: 1) * peak / (model.fullWell - model.sky * (1 + 0.5 * c.conditions.skyGradient.upper))
        }.max() ?? 0
        var random = RandomStream.field(field, .variables, seed: c.seed)
        let maximumAmplitude = c.injections.variableAmplitude.upper
        for index in stars.indices {
            let draw = random.uniform()
            let amplitude = random.uniform(in: c.injections.variableAmplitude)
            let period = random.uniform(in: c.injections.variablePeriodHours)
            let phase = random.uniform(0, 2 * Double.pi)
            let safe = stars[index].rate * (1 + maximumAmplitude) * worst < 0.8
            guard safe, draw < c.injections.variableFraction else { continue }
            stars[index].variability = Variability(amplitude: amplitude, periodHours: period, phase: phase,
                                                   epochMJD: nightMidMJD)
        }
    }
}

/// Magnitudes on the night's zero point: mag = ZP - 2.5 log10(e⁻/s).
enum Magnitudes {
    static func rate(_ mag: Double, zeroPoint: Double) -> Double { pow(10, 0.4 * (zeroPoint - mag)) }
    static func mag(_ rate: Double, zeroPoint: Double) -> Double { zeroPoint - 2.5 * log10(rate) }
}
