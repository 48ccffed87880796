import Foundation

/// Draws a satellite trail: a straight line across the whole image with a
/// Gaussian cross-section, as light (it gets photon noise like the sky).
enum TrailRenderer {
    /// The trail's flux per pixel of length, e⁻, for its S/N: the flux
    /// across the trail over the background noise under a Gaussian profile
    /// of width σ, whose noise-equivalent width is 2 √π σ.
    static func electronsPerPixel(_ trail: SatelliteTrail, backgroundSigma: Double) -> Double {
        trail.snr * backgroundSigma * (2 * Double.pi.squareRoot() * trail.sigma).squareRoot()
    }

    /// Adds the trail to `pixels` (e⁻), evaluating the profile at pixel
    /// centres out to 6 σ.
    static func add(_ trail: SatelliteTrail, electronsPerPixel flux: Double,
                    into pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) {
        let angle = trail.angle * Double.pi / 180
        let (c, s) = (cos(angle), sin(angle))
        let peak = flux / ((2 * Double.pi).squareRoot() * trail.sigma)
        let reach = 6 * trail.sigma
        let steep = abs(s) >= abs(c)
        let outer = steep ? height : width, inner = steep ? width : height
        for a in 0..<outer {
            // Along the trail's major direction; the span across it is short.
            let (along, cosine) = steep ? (Double(a) - trail.y, s) : (Double(a) - trail.x, c)
            let centre = (steep ? trail.x : trail.y) + along * (steep ? c : s) / cosine
            let half = reach / abs(cosine)
            let b0 = max(Int((centre - half).rounded(.down)), 0), b1 = min(Int((centre + half).rounded(.up)), inner - 1)
            guard b0 <= b1 else { continue }
            for b in b0...b1 {
                let (x, y) = steep ? (Double(b), Double(a)) : (Double(a), Double(b))
                let d = (x - trail.x) * s - (y - trail.y) * c
                let value = peak * exp(-0.5 * d * d / (trail.sigma * trail.sigma))
                let index = steep ? a * width + b : b * width + a
                pixels[index] += Float(value)
            }
        }
    }

    /// Where the trail's line enters and leaves the image's outer pixel edges,
    /// array coordinates.
    static func endPoints(_ trail: SatelliteTrail, width: Int, height: Int) -> (Double, Double, Double, Double) {
        let angle = trail.angle * Double.pi / 180
        let (c, s) = (cos(angle), sin(angle))
        let (xMin, xMax, yMin, yMax) = (-0.5, Double(width) - 0.5, -0.5, Double(height) - 0.5)
        // Parametric line p + t (c, s); keep the t range inside the box.
        var low = -Double.infinity, high = Double.infinity
        for (p, d, lo, hi) in [(trail.x, c, xMin, xMax), (trail.y, s, yMin, yMax)] where abs(d) > 1e-12 {
            let t1 = (lo - p) / d, t2 = (hi - p) / d
            low = max(low, min(t1, t2))
            high = min(high, max(t1, t2))
        }
        return (trail.x + low * c, trail.y + low * s, trail.x + high * c, trail.y + high * s)
    }
}
