import Foundation
import Imaging

/// Cosmic-ray hits of one exposure: single pixels and short straight tracks
/// of charge, deposited after the optics (so they are sharper than any star)
/// and before the read noise.
struct CosmicRay: Sendable {
    /// Array (0-based) end points of the track; equal for a single-pixel hit.
    let start: (x: Double, y: Double)
    let end: (x: Double, y: Double)
    /// Charge per pixel in e⁻: `(pixel index, electrons)`.
    let deposits: [(index: Int, electrons: Double)]

    /// Total charge, e⁻.
    var electrons: Double { deposits.reduce(0) { $0 + $1.electrons } }
    /// Whether it is a track rather than a single pixel.
    var isTrack: Bool { start.x != end.x || start.y != end.y }

    /// The hits of one exposure, drawn from its own stream: a Poisson number
    /// at `cosmic_ray_rate` per 2048² pixels per 60 s.
    static func draw(_ random: inout SeededRandom, exposureTime: Double, width: Int, height: Int,
                     artifacts a: NightConfiguration.Artifacts) -> [CosmicRay] {
        let mean = a.cosmicRayRate * Double(width * height) / (2048 * 2048) * exposureTime / 60
        let count = Int(random.poisson(mean))
        return (0..<count).map { _ in
            let x = random.uniform(0, Double(width)) - 0.5, y = random.uniform(0, Double(height)) - 0.5
            let amplitude = random.logUniform(in: a.cosmicRayElectrons)
            if random.uniform() < a.singlePixelFraction {
                let px = min(max(Int(x.rounded()), 0), width - 1), py = min(max(Int(y.rounded()), 0), height - 1)
                let centre = (Double(px), Double(py))
                return CosmicRay(start: centre, end: centre, deposits: [(py * width + px, amplitude)])
            }
            let length = random.uniform(in: a.cosmicRayLength), angle = random.uniform(0, Double.pi)
            let thickness = random.uniform(in: a.cosmicRayWidth)
            let start = (x - 0.5 * length * cos(angle), y - 0.5 * length * sin(angle))
            let end = (x + 0.5 * length * cos(angle), y + 0.5 * length * sin(angle))
            return track(from: start, to: end, thickness: thickness, amplitude: amplitude, random: &random,
                         width: width, height: height)
        }
    }

    /// Charge along a segment: each pixel gets the amplitude times the part of
    /// it the track's width covers (a linear ramp over the last pixel), with a
    /// ±30 % fluctuation, as energy loss varies along a real track.
    private static func track(from start: (Double, Double), to end: (Double, Double), thickness: Double,
                              amplitude: Double, random: inout SeededRandom, width: Int, height: Int) -> CosmicRay {
        let reach = thickness / 2 + 0.5
        let x0 = max(Int((min(start.0, end.0) - reach).rounded(.down)), 0)
        let x1 = min(Int((max(start.0, end.0) + reach).rounded(.up)), width - 1)
        let y0 = max(Int((min(start.1, end.1) - reach).rounded(.down)), 0)
        let y1 = min(Int((max(start.1, end.1) + reach).rounded(.up)), height - 1)
        var deposits = [(index: Int, electrons: Double)]()
        if x0 <= x1, y0 <= y1 {
            for py in y0...y1 {
                for px in x0...x1 {
                    let d = distance(Double(px), Double(py), start, end)
                    let coverage = min(1, reach - d)
                    guard coverage > 0 else { continue }
                    deposits.append((py * width + px, amplitude * coverage * random.uniform(0.7, 1.3)))
                }
            }
        }
        return CosmicRay(start: start, end: end, deposits: deposits)
    }

    /// Distance from (`x`, `y`) to the segment `a`–`b`.
    static func distance(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(max(((x - a.0) * dx + (y - a.1) * dy) / lengthSquared, 0), 1) : 0
        let (px, py) = (a.0 + t * dx - x, a.1 + t * dy - y)
        return (px * px + py * py).squareRoot()
    }
}
