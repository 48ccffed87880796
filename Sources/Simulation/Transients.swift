import Foundation
import Imaging
import WCS

/// A transient injected into a field's science images, absent from its references.
public struct Transient: Sendable, Hashable {
    /// `Fnn-Tnnn`, e.g. `F00-T007`.
    public let id: String
    /// ``TruthKind/transient`` or ``TruthKind/supernovaLike`` (on a galaxy).
    public let kind: TruthKind
    /// Right ascension, degrees [0, 360).
    public let ra: Double
    /// Declination, degrees.
    public let dec: Double
    /// The host galaxy's id, for supernova-like transients.
    public let hostID: String?
    /// The star it was placed next to, for near-star transients.
    public let neighbourID: String?
    /// Peak flux above the atmosphere, e⁻ per second.
    public let peakRate: Double
    /// The S/N the peak was drawn for, at the field's median conditions.
    public let peakSNR: Double
    /// How the flux changes over the night.
    public let lightCurve: LightCurve

    /// Flux above the atmosphere at `mjd`, e⁻ per second.
    public func rate(at mjd: Double) -> Double { peakRate * lightCurve.fraction(at: mjd) }
}

/// Places a field's transients: a fraction on galaxies (0.3–2 half-light
/// radii from the centre along the galaxy's ellipse), a fraction next to
/// stars, the rest on random sky, all inside the reference image.
enum TransientPlanner {
    /// Transients are kept this far (pixels) inside the reference image.
    static let border = 10.0

    struct Context {
        let configuration: NightConfiguration
        let field: Int
        let reference: WCSTransform
        let stars: [Star]
        let galaxies: [Galaxy]
        /// Converts a peak S/N into a peak flux above the atmosphere, e⁻/s.
        let rateForSNR: Double
        let nightStartMJD: Double
        let nightEndMJD: Double
    }

    static func draw(_ context: Context) throws(SimulationError) -> [Transient] {
        let c = context.configuration
        var random = RandomStream.field(context.field, .transients, seed: c.seed)
        let hosts = try candidates(context)
        var xs = [Double](), ys = [Double](), drafts = [(TruthKind, String?, String?, Double, LightCurve)]()
        for _ in 0..<c.injections.transientsPerField {
            let choice = random.uniform()
            let snr = random.logUniform(in: c.injections.transientSNR)
            let curve = LightCurve.draw(&random, start: context.nightStartMJD, end: context.nightEndMJD)
            let (u, v, w) = (random.uniform(), random.uniform(), random.uniform())
            var placed: (x: Double, y: Double, kind: TruthKind, host: String?, neighbour: String?)?
            if choice < c.injections.supernovaFraction, !hosts.galaxies.isEmpty {
                let (galaxy, gx, gy) = hosts.galaxies[Int(u * Double(hosts.galaxies.count))]
                let k = c.injections.hostOffset.lower + v * (c.injections.hostOffset.upper - c.injections.hostOffset.lower)
                let theta = 2 * Double.pi * w
                let a = k * galaxy.halfLightRadius * cos(theta)
                let b = k * galaxy.halfLightRadius * galaxy.axisRatio * sin(theta)
                let angle = galaxy.angle * Double.pi / 180
                placed = (gx + a * cos(angle) - b * sin(angle), gy + a * sin(angle) + b * cos(angle),
                          .supernovaLike, galaxy.id, nil)
            } else if choice < c.injections.supernovaFraction + c.injections.nearStarFraction, !hosts.stars.isEmpty {
                let (star, sx, sy) = hosts.stars[Int(u * Double(hosts.stars.count))]
                let distance = c.injections.starOffset.lower + v * (c.injections.starOffset.upper - c.injections.starOffset.lower)
                let theta = 2 * Double.pi * w
                placed = (sx + distance * cos(theta), sy + distance * sin(theta), .transient, nil, star.id)
            }
            let spot = placed ?? (border + u * (Double(c.width - 1) - 2 * border),
                                  border + v * (Double(c.height - 1) - 2 * border), .transient, nil, nil)
            xs.append(spot.x)
            ys.append(spot.y)
            drafts.append((spot.kind, spot.host, spot.neighbour, snr, curve))
        }
        guard !xs.isEmpty else { return [] }
        let sky = try Geometry.sky(context.reference, arrayXs: xs, arrayYs: ys)
        let prefix = FieldLayout.idPrefix(context.field)
        return drafts.indices.map { k in
            let (kind, host, neighbour, snr, curve) = drafts[k]
            return Transient(id: "\(prefix)-T\(Geometry.digits(k + 1, 3))", kind: kind, ra: sky[k].ra, dec: sky[k].dec,
                             hostID: host, neighbourID: neighbour, peakRate: snr * context.rateForSNR,
                             peakSNR: snr, lightCurve: curve)
        }
    }

    /// Galaxies bright enough to be seen as hosts, and unsaturated stars
    /// brighter than the faint end, with their reference array positions,
    /// all well inside the reference image.
    private static func candidates(_ context: Context) throws(SimulationError)
        -> (galaxies: [(Galaxy, Double, Double)], stars: [(Star, Double, Double)]) {
        let c = context.configuration
        let inside = { (x: Double, y: Double, margin: Double) -> Bool in
            x >= margin && y >= margin && x <= Double(c.width - 1) - margin && y <= Double(c.height - 1) - margin
        }
        let g = try Geometry.arrayPixels(context.reference, context.galaxies.map(\.ra), context.galaxies.map(\.dec))
        let galaxyLimit = c.sources.galaxyMagnitudes.upper - 1
        let galaxies = context.galaxies.indices.compactMap { k -> (Galaxy, Double, Double)? in
            let galaxy = context.galaxies[k]
            let margin = border + 2 * galaxy.halfLightRadius
            return galaxy.mag <= galaxyLimit && inside(g.xs[k], g.ys[k], margin) ? (galaxy, g.xs[k], g.ys[k]) : nil
        }
        let s = try Geometry.arrayPixels(context.reference, context.stars.map(\.ra), context.stars.map(\.dec))
        let starLimit = c.sources.starMagnitudes.upper - 2
        let stars = context.stars.indices.compactMap { k -> (Star, Double, Double)? in
            let star = context.stars[k]
            let usable = !star.saturatedInReference && star.mag <= starLimit
            return usable && inside(s.xs[k], s.ys[k], border + c.injections.starOffset.upper) ? (star, s.xs[k], s.ys[k]) : nil
        }
        return (galaxies, stars)
    }
}
