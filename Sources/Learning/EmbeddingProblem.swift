import Foundation

/// The fit's optimization problem: the baseline's affinities and the loss over all its pairs.
///
/// Pairs are unordered (i < j). The gradient is that of L / (m − 1), m the baseline size, so
/// that each point's gradient is a mean over its partners and `eta` means the same whatever the
/// baseline size; the reported loss is L divided by the number of pairs. Both are constant
/// multiples of L, so the relative change tested against gamma0 is that of L.
struct EmbeddingProblem {
    /// Baseline size m, reduced dimension r and embedding dimension.
    let count: Int, dimension: Int, lowdim: Int
    let parameters: DInsightParameters
    /// Affinities P_ij for i < j, packed row by row (see `pairOffset`).
    let affinities: [Double]
    /// σ, in reduced-space units.
    let bandwidth: Double
    /// w1' after `which_w1`.
    let repulsionWeight: Double
    /// The baseline's reduced coordinates, row-major m × r.
    let reduced: [Double]

    /// Guard inside log(1 − q + guard), so coincident points have a finite repulsive loss.
    static let logGuard = 1e-12
    /// RMS of the first starting coordinate, in embedding units: small, so that the optimizer
    /// unfolds the PCA layout rather than inheriting its distances.
    static let initialSpread = 1e-2

    /// Computes σ, the affinities and w1' for the m × r reduced baseline.
    /// - Throws: `LearningError` when σ is zero (too many coincident points).
    init(reduced: [Double], count m: Int, dimension r: Int, parameters: DInsightParameters) throws {
        self.count = m
        self.dimension = r
        self.lowdim = parameters.lowdim
        self.parameters = parameters
        self.reduced = reduced
        let pairs = m * (m - 1) / 2
        var squared = [Double](repeating: 0, count: pairs)
        reduced.withUnsafeBufferPointer { xp in
            squared.withUnsafeMutableBufferPointer { sp in
                var k = 0
                for i in 0..<m {
                    for j in (i + 1)..<m {
                        sp[k] = EmbeddingMath.squaredDistance(xp.baseAddress! + i * r, xp.baseAddress! + j * r, r)
                        k += 1
                    }
                }
            }
        }
        switch parameters.mode {
        case .fixed:
            bandwidth = parameters.paramMode
        case .quantile:
            bandwidth = EmbeddingMath.quantile(sorted: squared.map { $0.squareRoot() }.sorted(), parameters.paramMode)
        }
        guard bandwidth > 0 else {
            throw LearningError(
                key: "param_mode",
                "the \(parameters.paramMode) quantile of the baseline's pairwise distances is 0 (too many "
                    + "coincident rows); raise param_mode or use mode fixed")
        }
        let scale = -1 / (2 * bandwidth * bandwidth)
        affinities = squared.map { exp($0 * scale) }
        repulsionWeight = Self.repulsionWeight(parameters, affinities: affinities)
    }

    /// w1' for `which_w1`: fixed keeps w1; auto scales it by Σ P / Σ (1 − P), so the repulsive
    /// pairs together weigh w1 times the attractive ones.
    static func repulsionWeight(_ parameters: DInsightParameters, affinities: [Double]) -> Double {
        guard parameters.whichW1 == .auto else { return parameters.w1 }
        var attraction = 0.0, repulsion = 0.0
        for p in affinities {
            attraction += p
            repulsion += 1 - p
        }
        return repulsion > 0 ? parameters.w1 * attraction / repulsion : parameters.w1
    }

    /// Offset in the packed pair arrays of the pair (i, i + 1).
    @inline(__always)
    func pairOffset(_ i: Int) -> Int { i * (count - 1) - i * (i - 1) / 2 }

    /// The starting layout, column-major lowdim × m: the first lowdim reduced coordinates,
    /// centred, all scaled by one factor so the first has RMS `initialSpread`.
    func initialCoordinates() -> [Double] {
        var y = [Double](repeating: 0, count: lowdim * count)
        for k in 0..<lowdim {
            var mean = 0.0
            for i in 0..<count { mean += reduced[i * dimension + k] }
            mean /= Double(count)
            for i in 0..<count { y[k * count + i] = reduced[i * dimension + k] - mean }
        }
        var sum = 0.0
        for i in 0..<count { sum += y[i] * y[i] }
        let rms = (sum / Double(count)).squareRoot()
        let factor = rms > 0 ? Self.initialSpread / rms : 1
        for i in 0..<y.count { y[i] *= factor }
        return y
    }

    /// Runs the optimizer from `start` (column-major lowdim × m) for at most imax steps,
    /// stopping when the relative change of the loss between two iterations is below gamma0.
    /// Returns point-major coordinates (m × lowdim).
    func optimize(start: [Double]) -> (coordinates: [Double], loss: Double, iterations: Int, converged: Bool) {
        var y = start
        var gradient = [Double](repeating: 0, count: y.count)
        var moments = [Double](repeating: 0, count: 2 * y.count)
        var scratch = [Double](repeating: 0, count: 2 * count)
        var stepper = EmbeddingStepper(parameters)
        var previous = 0.0, loss = 0.0, iterations = 0, converged = false
        while true {
            loss = lossAndGradient(y, &gradient, &scratch)
            if iterations > 0, abs(previous - loss) < parameters.gamma0 * abs(previous) {
                converged = true
                break
            }
            if iterations == parameters.imax { break }
            y.withUnsafeMutableBufferPointer { yp in
                gradient.withUnsafeBufferPointer { gp in
                    moments.withUnsafeMutableBufferPointer { mp in
                        _ = stepper.step(yp.baseAddress!, gradient: gp.baseAddress!, moments: mp.baseAddress!, count: yp.count)
                    }
                }
            }
            iterations += 1
            previous = loss
        }
        var pointMajor = [Double](repeating: 0, count: y.count)
        for i in 0..<count { for k in 0..<lowdim { pointMajor[i * lowdim + k] = y[k * count + i] } }
        return (pointMajor, loss, iterations, converged)
    }

    /// The mean pair loss at `y` (column-major lowdim × m); writes the gradient of L / (m − 1)
    /// to `gradient`. `scratch` holds 2m values.
    func lossAndGradient(_ y: [Double], _ gradient: inout [Double], _ scratch: inout [Double]) -> Double {
        var total = 0.0
        y.withUnsafeBufferPointer { yb in
            gradient.withUnsafeMutableBufferPointer { gb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    affinities.withUnsafeBufferPointer { pb in
                        let yp = yb.baseAddress!, gp = gb.baseAddress!
                        for i in 0..<gb.count { gp[i] = 0 }
                        for i in 0..<(count - 1) {
                            total += pairsOf(i, yp, gp, pb.baseAddress! + pairOffset(i), sb.baseAddress!, sb.baseAddress! + count)
                        }
                        let norm = 1 / Double(count - 1)
                        for i in 0..<gb.count { gp[i] *= norm }
                    }
                }
            }
        }
        return total / Double(count * (count - 1) / 2)
    }

    /// Adds the pairs (i, j > i) to the gradient and returns their summed loss. `p` points at
    /// P_i,i+1; `distance` and `coefficient` are scratch of m values each.
    @inline(__always)
    private func pairsOf(
        _ i: Int, _ y: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>, _ p: UnsafePointer<Double>,
        _ distance: UnsafeMutablePointer<Double>, _ coefficient: UnsafeMutablePointer<Double>
    ) -> Double {
        let m = count, partners = count - i - 1
        let a = parameters.a, w2 = parameters.w2, w1 = repulsionWeight, guardValue = Self.logGuard
        for j in 0..<partners { distance[j] = 0 }
        for k in 0..<lowdim {
            let yi = y[k * m + i], column = y + k * m + i + 1
            for j in 0..<partners {
                let t = yi - column[j]
                distance[j] += t * t
            }
        }
        // With u = 1 + a·d² and v = u − 1 + guard·u = u·(1 − q + guard): q = 1/u, and the
        // repulsive derivative a·q²/(1 − q + guard) = a/(u·v), so one division serves both.
        for j in 0..<partners {
            let u = 1 + a * distance[j]
            let v = u - 1 + guardValue * u
            let t = 1 / (u * v)
            coefficient[j] = 2 * a * (w2 * p[j] * v * t - w1 * (1 - p[j]) * t)
        }
        var loss = 0.0
        for j in 0..<partners {
            let u = 1 + a * distance[j]
            let v = u - 1 + guardValue * u
            let attract = w2 * p[j], repel = w1 * (1 - p[j])
            loss += (attract + repel) * log(u) - repel * log(v)
        }
        for k in 0..<lowdim {
            let yi = y[k * m + i], column = y + k * m + i + 1, gradient = g + k * m + i + 1
            var own = 0.0
            for j in 0..<partners {
                let force = coefficient[j] * (yi - column[j])
                own += force
                gradient[j] -= force
            }
            g[k * m + i] += own
        }
        return loss
    }
}
