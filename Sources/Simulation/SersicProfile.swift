import Foundation

/// An elliptical Sérsic profile, I ∝ exp(-b_n ((ρ/r_s)^(1/n) - 1)), for the
/// two indices galaxies get here: n = 1 (exponential disc) and n = 4
/// (de Vaucouleurs). ρ is the elliptical radius along the major axis.
///
/// The profile is tapered smoothly to zero between `taperStart` and
/// `taperEnd` scale radii r_s (4–5 for n = 1, 5.5–7 for n = 4), as
/// photometric model fitters do: an untruncated de Vaucouleurs profile still
/// has 7 % of its light beyond 7 r_s. A galaxy's catalogue flux is the flux of
/// the tapered profile, and its catalogue half-light radius is the tapered
/// profile's true half-light radius: r_s is set from it (r_s = r_half /
/// 0.9955 for n = 1, / 0.8576 for n = 4, found numerically at first use).
struct SersicProfile: Sendable {
    /// Sérsic index, 1 or 4.
    let index: Int
    /// Semi-major half-light radius of the tapered profile, reference pixels.
    let halfLightRadius: Double
    /// The Sérsic scale radius r_s, reference pixels: the half-light radius
    /// of the untruncated profile.
    let scaleRadius: Double
    /// Axis ratio b/a, (0, 1].
    let axisRatio: Double
    /// Where the taper starts and ends, in scale radii.
    let taperStart: Double, taperEnd: Double
    /// b_n, so that half the untruncated light lies within r_s.
    let b: Double
    /// Unit vector of the major axis in the reference pixel frame.
    let cosAngle: Double, sinAngle: Double

    init(index: Int, halfLightRadius: Double, axisRatio: Double, angleDegrees: Double) {
        precondition(index == 1 || index == 4, "only Sérsic n = 1 and n = 4 are rendered")
        self.index = index
        self.halfLightRadius = halfLightRadius
        self.axisRatio = axisRatio
        // b_1 and b_4 solve γ(2n, b) = Γ(2n)/2 (Ciotti & Bertin 1999 tabulate them).
        b = index == 1 ? 1.678_346_990_016_661 : 7.669_249_443_765_517
        (taperStart, taperEnd) = index == 1 ? (4, 5) : (5.5, 7)
        scaleRadius = halfLightRadius / (index == 1 ? Self.halfLightScale1 : Self.halfLightScale4)
        cosAngle = cos(angleDegrees * Double.pi / 180)
        sinAngle = sin(angleDegrees * Double.pi / 180)
    }

    /// The outer radius in reference pixels: nothing lies beyond it.
    var extent: Double { taperEnd * scaleRadius }

    /// The surface brightness (arbitrary scale) at offset (`u`, `v`)
    /// reference pixels from the centre.
    @inline(__always) func value(u: Double, v: Double) -> Double {
        let major = cosAngle * u + sinAngle * v
        let minor = (-sinAngle * u + cosAngle * v) / axisRatio
        return shape(t: (major * major + minor * minor).squareRoot() / scaleRadius)
    }

    /// The tapered profile at `t` scale radii.
    @inline(__always) private func shape(t: Double) -> Double {
        Self.shape(t: t, index: index, b: b, taper: (taperStart, taperEnd))
    }

    private static func shape(t: Double, index: Int, b: Double, taper: (Double, Double)) -> Double {
        guard t < taper.1 else { return 0 }
        let power = index == 1 ? t : t.squareRoot().squareRoot()
        let profile = exp(-b * (power - 1))
        guard t > taper.0 else { return profile }
        return profile * 0.5 * (1 + cos(Double.pi * (t - taper.0) / (taper.1 - taper.0)))
    }

    /// The tapered profiles' half-light radii in scale radii.
    private static let halfLightScale1 = halfLight(index: 1, b: 1.678_346_990_016_661, taper: (4, 5))
    private static let halfLightScale4 = halfLight(index: 4, b: 7.669_249_443_765_517, taper: (5.5, 7))

    /// The radius (in scale radii) holding half the tapered profile's light,
    /// by midpoint integration of I(t) t dt on 100 000 steps.
    private static func halfLight(index: Int, b: Double, taper: (Double, Double)) -> Double {
        let steps = 100_000, h = taper.1 / Double(steps)
        var cumulative = [Double](repeating: 0, count: steps + 1)
        for i in 0..<steps {
            let t = (Double(i) + 0.5) * h
            cumulative[i + 1] = cumulative[i] + shape(t: t, index: index, b: b, taper: taper) * t * h
        }
        let half = cumulative[steps] / 2
        let i = cumulative.firstIndex { $0 >= half } ?? steps
        // Linear interpolation inside the step that crosses half the light.
        let fraction = (half - cumulative[i - 1]) / (cumulative[i] - cumulative[i - 1])
        return (Double(i - 1) + fraction) * h
    }

    /// Sub-samples per pixel axis for a pixel at elliptical distance `rho`
    /// (pixels) from the centre: many at the steep core (the n = 4 cusp),
    /// one far out where the profile is smooth over a pixel.
    func subsamples(rho: Double) -> Int {
        if rho < 1.5 { return index == 4 ? 15 : 9 }
        if rho < 4 { return 5 }
        if rho < 2 * scaleRadius + 3 { return 3 }
        return 1
    }
}
