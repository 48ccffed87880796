/// A polynomial map between two pixel frames (0-based array coordinates):
/// affine for order 1, with quadratic or cubic terms for orders 2 and 3 to
/// absorb differing field distortion.
///
/// Inputs are normalised about `origin` by `scale` inside, so the fit stays
/// well conditioned for any image size.
public struct PixelTransform: Sendable, Codable, Equatable {
    /// Polynomial order: 1, 2 or 3.
    public let order: Int
    /// Centre and scale of the input normalisation, pixels.
    public let originX: Double, originY: Double, scale: Double
    /// Coefficients of the output x and y on the monomials uᵢ vʲ (i + j ≤
    /// order) of the normalised input, in ``monomials(_:_:order:)`` order.
    public let xCoefficients: [Double]
    public let yCoefficients: [Double]

    /// The identity map.
    public static let identity = PixelTransform(order: 1, originX: 0, originY: 0, scale: 1,
                                                xCoefficients: [0, 1, 0], yCoefficients: [0, 0, 1])

    /// A transform from explicit coefficients (see the properties).
    public init(order: Int, originX: Double, originY: Double, scale: Double,
                xCoefficients: [Double], yCoefficients: [Double]) {
        self.order = order
        self.originX = originX
        self.originY = originY
        self.scale = scale
        self.xCoefficients = xCoefficients
        self.yCoefficients = yCoefficients
    }

    /// A pure shift by (dx, dy) pixels.
    public static func translation(dx: Double, dy: Double) -> PixelTransform {
        PixelTransform(order: 1, originX: 0, originY: 0, scale: 1,
                       xCoefficients: [dx, 1, 0], yCoefficients: [dy, 0, 1])
    }

    /// The monomials of (u, v) up to `order`: 1, u, v, u², uv, v², u³, …
    public static func monomials(_ u: Double, _ v: Double, order: Int) -> [Double] {
        var terms: [Double] = []
        terms.reserveCapacity((order + 1) * (order + 2) / 2)
        for degree in 0...order {
            for j in 0...degree {
                terms.append(power(u, degree - j) * power(v, j))
            }
        }
        return terms
    }

    /// Maps a point without allocating: the hot loop of resampling calls this
    /// for every output pixel.
    @inlinable public func evaluate(_ px: Double, _ py: Double) -> (x: Double, y: Double) {
        let u = (px - originX) / scale, v = (py - originY) / scale
        return xCoefficients.withUnsafeBufferPointer { cx in
            yCoefficients.withUnsafeBufferPointer { cy in
                var x = cx[0] + cx[1] * u + cx[2] * v
                var y = cy[0] + cy[1] * u + cy[2] * v
                if order >= 2 {
                    let uu = u * u, uv = u * v, vv = v * v
                    x += cx[3] * uu + cx[4] * uv + cx[5] * vv
                    y += cy[3] * uu + cy[4] * uv + cy[5] * vv
                    if order >= 3 {
                        x += cx[6] * uu * u + cx[7] * uu * v + cx[8] * u * vv + cx[9] * vv * v
                        y += cy[6] * uu * u + cy[7] * uu * v + cy[8] * u * vv + cy[9] * vv * v
                    }
                }
                return (x, y)
            }
        }
    }

    /// Maps a point.
    public func apply(_ p: PixelPoint) -> PixelPoint {
        if order <= 3 {
            let (x, y) = evaluate(p.x, p.y)
            return PixelPoint(x: x, y: y)
        }
        let terms = Self.monomials((p.x - originX) / scale, (p.y - originY) / scale, order: order)
        var x = 0.0, y = 0.0
        for k in terms.indices {
            x += xCoefficients[k] * terms[k]
            y += yCoefficients[k] * terms[k]
        }
        return PixelPoint(x: x, y: y)
    }

    /// |∂(x′, y′)/∂(x, y)| at `p`: how many output-frame pixels one input
    /// pixel covers. Resampling multiplies by it to conserve flux.
    public func jacobianDeterminant(at p: PixelPoint) -> Double {
        let h = 0.5
        let px = apply(PixelPoint(x: p.x + h, y: p.y)), mx = apply(PixelPoint(x: p.x - h, y: p.y))
        let py = apply(PixelPoint(x: p.x, y: p.y + h)), my = apply(PixelPoint(x: p.x, y: p.y - h))
        let a = (px.x - mx.x) / (2 * h), b = (py.x - my.x) / (2 * h)
        let c = (px.y - mx.y) / (2 * h), d = (py.y - my.y) / (2 * h)
        return abs(a * d - b * c)
    }

    /// Least-squares fit of `to ≈ T(from)`, optionally weighted. Nil when the
    /// points are too few or degenerate for the order.
    public static func fit(from: [PixelPoint], to: [PixelPoint], order: Int, weights: [Double]? = nil) -> PixelTransform? {
        let terms = (order + 1) * (order + 2) / 2
        guard from.count == to.count, from.count >= terms + 1 else { return nil }
        let ox = from.map(\.x).reduce(0, +) / Double(from.count)
        let oy = from.map(\.y).reduce(0, +) / Double(from.count)
        let spread = from.map { max(abs($0.x - ox), abs($0.y - oy)) }.max() ?? 1
        let scale = max(spread, 1)
        let rows = from.map { monomials(($0.x - ox) / scale, ($0.y - oy) / scale, order: order) }
        guard let cx = LinearSolve.leastSquares(rows: rows, values: to.map(\.x), weights: weights),
              let cy = LinearSolve.leastSquares(rows: rows, values: to.map(\.y), weights: weights) else { return nil }
        return PixelTransform(order: order, originX: ox, originY: oy, scale: scale, xCoefficients: cx, yCoefficients: cy)
    }
}

private func power(_ x: Double, _ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<n { result *= x }
    return result
}
