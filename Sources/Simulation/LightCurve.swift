import Foundation
import Imaging

/// How a transient's flux changes over the night, as a fraction of its peak.
/// Before the night and in the references every transient is absent.
public struct LightCurve: Sendable, Hashable, Codable {
    /// The family of the curve.
    public enum Shape: String, Sendable, Hashable, Codable, CaseIterable {
        /// Flat at the peak all night.
        case constant
        /// From `floor` × peak at the night's start up to the peak at its end.
        case linearRise = "linear_rise"
        /// From the peak at the night's start down to `floor` × peak at its end.
        case linearFade = "linear_fade"
        /// exp(-(end - t) / τ): reaches the peak at the night's end.
        case exponentialRise = "exponential_rise"
        /// exp(-(t - start) / τ): the peak at the night's start.
        case exponentialFade = "exponential_fade"
        /// Absent until `onset`, then at the peak and fading as exp(-(t - onset) / τ).
        case flare
    }

    /// The family.
    public let shape: Shape
    /// Start of the night, MJD.
    public let startMJD: Double
    /// End of the night, MJD.
    public let endMJD: Double
    /// Faint end of a linear curve as a fraction of the peak, [0, 1).
    public let floor: Double
    /// e-folding time of the exponential curves and the flare, hours.
    public let timescaleHours: Double
    /// When a flare appears, MJD.
    public let onsetMJD: Double

    /// The flux at `mjd` as a fraction of the peak, in [0, 1].
    public func fraction(at mjd: Double) -> Double {
        let span = endMJD - startMJD
        let u = min(max((mjd - startMJD) / span, 0), 1)
        let tau = timescaleHours / 24
        switch shape {
        case .constant: return 1
        case .linearRise: return floor + (1 - floor) * u
        case .linearFade: return floor + (1 - floor) * (1 - u)
        case .exponentialRise: return exp(-(1 - u) * span / tau)
        case .exponentialFade: return exp(-u * span / tau)
        case .flare: return mjd < onsetMJD ? 0 : exp(-(mjd - onsetMJD) / tau)
        }
    }

    /// A random curve over the night [`start`, `end`] (MJD).
    static func draw(_ random: inout SeededRandom, start: Double, end: Double) -> LightCurve {
        let shapes = Shape.allCases
        let shape = shapes[random.index(shapes.count)]
        let floor = random.uniform(0, 0.6)
        let tau = random.uniform(1, 8)
        let onset = start + random.uniform(0, 0.6) * (end - start)
        return LightCurve(shape: shape, startMJD: start, endMJD: end, floor: floor, timescaleHours: tau, onsetMJD: onset)
    }
}
