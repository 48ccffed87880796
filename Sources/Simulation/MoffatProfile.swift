import Foundation

/// A circular Moffat point-spread function, normalised to unit integral over
/// the plane: P(r) = (β - 1) / (π α²) · (1 + r²/α²)^-β, with
/// α = FWHM / (2 √(2^(1/β) - 1)).
///
/// Pixel values are integrals over the pixel by Gauss–Legendre quadrature
/// whose order falls with distance from the centre, where the profile is
/// smooth; at the core the error is below 1e-6 of the pixel's value.
struct MoffatProfile: Sendable {
    /// Full width at half maximum, pixels.
    let fwhm: Double
    /// Moffat β.
    let beta: Double
    /// Moffat α in pixels.
    let alpha: Double
    private let norm: Double
    private let inverseAlphaSquared: Double

    init(fwhm: Double, beta: Double) {
        self.fwhm = fwhm
        self.beta = beta
        alpha = fwhm / (2 * (pow(2, 1 / beta) - 1).squareRoot())
        norm = (beta - 1) / (Double.pi * alpha * alpha)
        inverseAlphaSquared = 1 / (alpha * alpha)
    }

    /// The profile at squared distance `r2` (pixels²) from the centre, per pixel².
    @inline(__always) func value(r2: Double) -> Double {
        norm * pow(1 + r2 * inverseAlphaSquared, -beta)
    }

    /// The fraction of the flux falling in the pixel whose centre is at
    /// (`dx`, `dy`) pixels from the profile's centre.
    func pixelIntegral(dx: Double, dy: Double) -> Double {
        let r2 = dx * dx + dy * dy
        let rule = GaussLegendre.rule(forScale: max(r2.squareRoot(), alpha))
        var sum = 0.0
        for j in 0..<rule.count {
            let y = dy + rule.nodes[j]
            var row = 0.0
            for i in 0..<rule.count {
                let x = dx + rule.nodes[i]
                row += rule.weights[i] * value(r2: x * x + y * y)
            }
            sum += rule.weights[j] * row
        }
        return sum
    }

    /// The pixel-integrated profile on a `(2 radius + 1)²` stamp, row-major,
    /// for a centre at (`phaseX`, `phaseY`) pixels from the stamp's middle pixel.
    func stamp(phaseX: Double, phaseY: Double, radius: Int) -> [Double] {
        let side = 2 * radius + 1
        var values = [Double](repeating: 0, count: side * side)
        for j in 0..<side {
            for i in 0..<side {
                values[j * side + i] = pixelIntegral(dx: Double(i - radius) - phaseX, dy: Double(j - radius) - phaseY)
            }
        }
        return values
    }

    /// The radius in pixels beyond which a source of `flux` contributes less
    /// than `floor` per pixel (same units as the flux).
    func radius(flux: Double, floor: Double) -> Double {
        guard flux > 0, floor > 0 else { return 0 }
        let ratio = flux * norm / floor
        guard ratio > 1 else { return 0 }
        return alpha * (pow(ratio, 1 / beta) - 1).squareRoot()
    }

    /// The largest fraction of the flux that any pixel receives for a centre
    /// at (`phaseX`, `phaseY`), |phase| <= 0.5: the brightest of the 3 x 3 pixels.
    func peakFraction(phaseX: Double = 0, phaseY: Double = 0) -> Double {
        var peak = 0.0
        for j in -1...1 {
            for i in -1...1 {
                peak = max(peak, pixelIntegral(dx: Double(i) - phaseX, dy: Double(j) - phaseY))
            }
        }
        return peak
    }
}

/// Gauss–Legendre rules on a pixel, [-0.5, 0.5].
enum GaussLegendre {
    struct Rule: Sendable {
        let nodes: [Double]
        let weights: [Double]
        var count: Int { nodes.count }
    }

    /// Rules of 1, 2, 3 and 5 nodes per axis (weights sum to 1).
    static let one = Rule(nodes: [0], weights: [1])
    static let two = Rule(nodes: [-0.288_675_134_594_812_9, 0.288_675_134_594_812_9], weights: [0.5, 0.5])
    static let three = Rule(nodes: [-0.387_298_334_620_741_7, 0, 0.387_298_334_620_741_7],
                            weights: [5.0 / 18, 8.0 / 18, 5.0 / 18])
    static let five = Rule(
        nodes: [-0.453_089_922_969_332_0, -0.269_234_655_052_841_5, 0, 0.269_234_655_052_841_5, 0.453_089_922_969_332_0],
        weights: [0.118_463_442_528_094_5, 0.239_314_335_249_683_2, 0.284_444_444_444_444_4,
                  0.239_314_335_249_683_2, 0.118_463_442_528_094_5])

    /// A rule fine enough for a profile that changes over `scale` pixels
    /// (for a Moffat, the larger of α and the distance from the centre): the
    /// relative curvature over a pixel falls as scale^-2.
    static func rule(forScale scale: Double) -> Rule {
        if scale < 3 { return five }
        if scale < 7 { return three }
        if scale < 15 { return two }
        return one
    }
}
