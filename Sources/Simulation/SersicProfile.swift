import Foundation

/// An elliptical Sérsic profile, I ∝ exp(-b_n ((ρ/r_e)^(1/n) - 1)), for the
/// two indices galaxies get here: n = 1 (exponential disc) and n = 4
/// (de Vaucouleurs). ρ is the elliptical radius along the major axis.
///
/// The profile is tapered smoothly to zero between `taperStart` and
/// `taperEnd` half-light radii (4–5 for n = 1, 5.5–7 for n = 4, where ~1 % and
/// ~5 % of the untruncated light lie outside), as photometric model fitters
/// do; a galaxy's catalogue flux is the flux of the tapered profile.
struct SersicProfile: Sendable {
    /// Sérsic index, 1 or 4.
    let index: Int
    /// Semi-major half-light radius in reference pixels.
    let halfLightRadius: Double
    /// Axis ratio b/a, (0, 1].
    let axisRatio: Double
    /// Where the taper starts and ends, in half-light radii.
    let taperStart: Double, taperEnd: Double
    /// b_n, so that half the (untruncated) light lies within r_e.
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
        cosAngle = cos(angleDegrees * Double.pi / 180)
        sinAngle = sin(angleDegrees * Double.pi / 180)
    }

    /// The outer radius in reference pixels: nothing lies beyond it.
    var extent: Double { taperEnd * halfLightRadius }

    /// The surface brightness (arbitrary scale) at offset (`u`, `v`)
    /// reference pixels from the centre.
    @inline(__always) func value(u: Double, v: Double) -> Double {
        let major = cosAngle * u + sinAngle * v
        let minor = (-sinAngle * u + cosAngle * v) / axisRatio
        let t = (major * major + minor * minor).squareRoot() / halfLightRadius
        guard t < taperEnd else { return 0 }
        let power = index == 1 ? t : t.squareRoot().squareRoot()
        let profile = exp(-b * (power - 1))
        guard t > taperStart else { return profile }
        return profile * 0.5 * (1 + cos(Double.pi * (t - taperStart) / (taperEnd - taperStart)))
    }

    /// Sub-samples per pixel axis for a pixel at elliptical distance `rho`
    /// (pixels) from the centre: many at the steep core (the n = 4 cusp),
    /// one far out where the profile is smooth over a pixel.
    func subsamples(rho: Double) -> Int {
        if rho < 1.5 { return index == 4 ? 15 : 9 }
        if rho < 4 { return 5 }
        if rho < 2 * halfLightRadius + 3 { return 3 }
        return 1
    }
}
