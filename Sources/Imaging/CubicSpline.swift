/// A natural cubic spline through values at uniformly spaced knots, as
/// SExtractor uses to interpolate its background mesh to full resolution.
///
/// Knot `i` sits at `origin + i × spacing`. Beyond the first and last knot the
/// spline continues as a straight line with the end slope, so the map does not
/// swing wildly at image edges.
struct UniformCubicSpline {
    let origin: Double
    let spacing: Double
    let values: [Double]
    /// Second derivatives at the knots (zero at both ends: natural spline).
    let secondDerivatives: [Double]

    init(origin: Double, spacing: Double, values: [Double]) {
        self.origin = origin
        self.spacing = spacing
        self.values = values
        self.secondDerivatives = Self.solve(values)
    }

    /// Second derivatives (in units of value per knot²) by the standard
    /// tridiagonal solve for uniform spacing.
    static func solve(_ y: [Double]) -> [Double] {
        let n = y.count
        guard n > 2 else { return [Double](repeating: 0, count: n) }
        var d2 = [Double](repeating: 0, count: n)
        var u = [Double](repeating: 0, count: n)
        for i in 1..<(n - 1) {
            let p = 0.5 * d2[i - 1] + 2
            d2[i] = -0.5 / p
            u[i] = (3 * (y[i + 1] - 2 * y[i] + y[i - 1]) - 0.5 * u[i - 1]) / p
        }
        d2[n - 1] = 0
        for k in stride(from: n - 2, through: 0, by: -1) {
            d2[k] = d2[k] * d2[k + 1] + u[k]
        }
        return d2
    }

    /// The spline's value at `position` (same units as origin and spacing).
    func value(at position: Double) -> Double {
        let n = values.count
        if n == 1 { return values[0] }
        let t = (position - origin) / spacing
        if t <= 0 { return values[0] + t * slope(atKnot: 0) }
        if t >= Double(n - 1) { return values[n - 1] + (t - Double(n - 1)) * slope(atKnot: n - 1) }
        let i = min(Int(t), n - 2)
        let b = t - Double(i)
        let a = 1 - b
        return a * values[i] + b * values[i + 1]
            + ((a * a * a - a) * secondDerivatives[i] + (b * b * b - b) * secondDerivatives[i + 1]) / 6
    }

    /// The first derivative at a knot, in value per knot.
    private func slope(atKnot i: Int) -> Double {
        let n = values.count
        if i == 0 {
            return values[1] - values[0] - (2 * secondDerivatives[0] + secondDerivatives[1]) / 6
        }
        return values[n - 1] - values[n - 2] + (secondDerivatives[n - 2] + 2 * secondDerivatives[n - 1]) / 6
    }
}
