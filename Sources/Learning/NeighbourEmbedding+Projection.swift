import Foundation

/// Out-of-sample projection: placing one new row against the fixed baseline.
///
/// The new point's loss is the fit's loss restricted to its pairs with the baseline, and it is
/// minimized with the same optimizer (fresh moments) over the point's own coordinates only. To
/// make a projection cost microseconds rather than a pass over the whole baseline per
/// iteration, the loss is evaluated on:
/// - its `projectionNeighbours` (32) nearest baseline points in the reduced space, exactly:
///   they carry the largest affinities;
/// - `projectionLandmarks` (32) fixed baseline points, evenly spaced by index and not among
///   those neighbours, each weighted (m − K) / (landmarks used) so that together they stand for
///   the rest of the baseline.
/// The gradient is divided by m, the baseline size, as the fit's is by its partner count, so
/// `eta` means the same in both.
///
/// This is an approximation of the projection against the whole baseline. With the default
/// quantile bandwidth the affinity is broad (about 30% of the baseline has P > 0.6), so the
/// landmarks sample a real part of the attraction: on synthetic data the position differs from
/// the whole-baseline optimum by a median of 1–5 × `neighbourScale`. New points still land among
/// their own kind, but their `knnDistance` need not follow the baseline's leave-one-out values
/// exactly: calibrate thresholds on projected held-out rows, which carry the same approximation
/// as live rows, rather than on `baselineKnnDistances(k:)` alone.
///
/// The point starts at the affinity-weighted mean of its K nearest neighbours' embedding
/// coordinates, with weights exp(−(d_j² − d_min²)/(2σ²)) so that a point far from everything
/// still gets a defined start (its nearest neighbour's place). It stops after
/// min(imax, `projectionIterationLimit`) steps, or as soon as a step moves it by less than
/// `projectionTolerance` × `neighbourScale`: the loss itself is not evaluated, because its
/// logarithms would cost more than the rest of the projection, and the step length says
/// directly how settled the position is. A point with no affinity to the baseline feels only
/// repulsion and drifts outward for the whole iteration budget, so its distance to the
/// baseline grows with the budget rather than with how far out it really is.
extension NeighbourEmbedding {
    /// Baseline points whose pairs with a projected point are evaluated exactly.
    public static let projectionNeighbours = 32
    /// Fixed baseline points that stand for the rest of the baseline in a projection.
    public static let projectionLandmarks = 32
    /// Most optimizer steps of one projection (also at most imax).
    public static let projectionIterationLimit = 100
    /// A projection stops when a step is shorter than this fraction of `neighbourScale`.
    public static let projectionTolerance = 1e-3

    /// The embedding coordinates (`lowdim` values, embedding units) of the row `x`
    /// (`reduction.inputDimension` values, input units). Deterministic and safe to call from
    /// several threads at once; its scratch memory is temporary (on the stack where the
    /// platform allows). Precondition: `x` has the input dimension. Non-finite values in `x`
    /// give non-finite coordinates.
    public func project(_ x: [Double]) -> [Double] {
        precondition(
            x.count == reduction.inputDimension,
            "NeighbourEmbedding.project: expected \(reduction.inputDimension) values, got \(x.count)")
        let m = baselineSize, r = reduction.outputDimension, dims = lowdim
        let k = min(Self.projectionNeighbours, m), landmarks = min(Self.projectionLandmarks, m)
        let capacity = k + landmarks
        var result = [Double](repeating: 0, count: dims)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: r + m + capacity * (dims + 3) + 4 * dims) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k + landmarks) { indexBuffer in
                let reduced = buffer.baseAddress!, squared = reduced + r
                var pairs = ProjectionPairs(
                    coordinates: squared + m, attraction: squared + m + capacity * dims,
                    repulsion: squared + m + capacity * (dims + 1), count: 0)
                let y = squared + m + capacity * (dims + 2)
                x.withUnsafeBufferPointer { reduction.project($0.baseAddress!, into: reduced) }
                pairs.count = selectPairs(reduced, squared, indexBuffer.baseAddress!, k: k, landmarks: landmarks, into: pairs)
                startingPoint(y, neighbours: indexBuffer.baseAddress!, squared: squared, k: k)
                settle(y, pairs: pairs, work: y + dims)
                for c in 0..<dims { result[c] = y[c] }
            }
        }
        return result
    }

    /// Computes the squared reduced distances from `reduced` to every baseline point, puts the
    /// `k` nearest first in `neighbours`, and fills `pairs` with them and the landmarks.
    /// Returns the number of pairs.
    private func selectPairs(
        _ reduced: UnsafePointer<Double>, _ squared: UnsafeMutablePointer<Double>,
        _ neighbours: UnsafeMutablePointer<Int>, k: Int, landmarks: Int, into pairs: ProjectionPairs
    ) -> Int {
        let m = baselineSize, r = reduction.outputDimension, dims = lowdim
        baselineReduced.withUnsafeBufferPointer { bp in
            for j in 0..<m { squared[j] = EmbeddingMath.squaredDistance(reduced, bp.baseAddress! + j * r, r) }
        }
        EmbeddingNeighbours.smallest(k, of: squared, count: m, into: neighbours)
        // A landmark that is also a neighbour is already counted exactly: mark and skip it.
        let isLandmark = neighbours + k
        for l in 0..<landmarks { isLandmark[l] = 1 }
        for n in 0..<k {
            let j = neighbours[n], l = (j * landmarks + m - 1) / m
            if l < landmarks, l * m / landmarks == j { isLandmark[l] = 0 }
        }
        var remaining = 0
        for l in 0..<landmarks { remaining += isLandmark[l] }
        let scale = -1 / (2 * bandwidth * bandwidth)
        let landmarkWeight = remaining > 0 ? Double(m - k) / Double(remaining) : 0
        let factor = 2 * parameters.a / Double(m), w2 = parameters.w2, w1 = repulsionWeight
        var count = 0
        coordinates.withUnsafeBufferPointer { cp in
            func add(_ j: Int, weight: Double) {
                for c in 0..<dims { pairs.coordinates[count * dims + c] = cp[j * dims + c] }
                let affinity = exp(squared[j] * scale)
                pairs.attraction[count] = factor * weight * w2 * affinity
                pairs.repulsion[count] = factor * weight * w1 * (1 - affinity)
                count += 1
            }
            for n in 0..<k { add(neighbours[n], weight: 1) }
            for l in 0..<landmarks where isLandmark[l] == 1 { add(l * m / landmarks, weight: landmarkWeight) }
        }
        return count
    }

    /// Writes to `y` the mean of the `k` neighbours' coordinates weighted by
    /// exp(−(d_j² − d_min²)/(2σ²)); `neighbours` is sorted nearest first.
    private func startingPoint(_ y: UnsafeMutablePointer<Double>, neighbours: UnsafePointer<Int>, squared: UnsafePointer<Double>, k: Int) {
        let dims = lowdim, nearest = squared[neighbours[0]], scale = -1 / (2 * bandwidth * bandwidth)
        for c in 0..<dims { y[c] = 0 }
        var total = 0.0
        coordinates.withUnsafeBufferPointer { cp in
            for n in 0..<k {
                let j = neighbours[n], w = exp((squared[j] - nearest) * scale)
                total += w
                for c in 0..<dims { y[c] += w * cp[j * dims + c] }
            }
        }
        for c in 0..<dims { y[c] /= total }
    }

    /// Runs the optimizer on the point `y` against `pairs`. `work` holds 3 × lowdim + pairs.count
    /// values.
    private func settle(_ y: UnsafeMutablePointer<Double>, pairs: ProjectionPairs, work: UnsafeMutablePointer<Double>) {
        let dims = lowdim, gradient = work, moments = work + dims, coefficients = work + 3 * dims
        for c in 0..<(3 * dims) { work[c] = 0 }
        let a = parameters.a
        let tolerance = Self.projectionTolerance * neighbourScale
        var stepper = EmbeddingStepper(parameters)
        for _ in 0..<min(parameters.imax, Self.projectionIterationLimit) {
            if dims == 2 {
                Self.planarGradient(y, pairs, a: a, into: gradient)
            } else {
                Self.gradient(y, pairs, dims: dims, a: a, coefficients: coefficients, into: gradient)
            }
            let length2 = stepper.step(y, gradient: gradient, moments: moments, count: dims)
            if length2 < tolerance * tolerance { break }
        }
    }
}

extension NeighbourEmbedding {
    /// The projection loss gradient at `y` for any lowdim: coefficients of all pairs first,
    /// then one accumulator per coordinate (accumulating into `gradient` pair by pair would
    /// chain every pair through memory). `coefficients` holds pairs.count values.
    @inline(__always)
    static func gradient(
        _ y: UnsafePointer<Double>, _ pairs: ProjectionPairs, dims: Int, a: Double,
        coefficients: UnsafeMutablePointer<Double>, into gradient: UnsafeMutablePointer<Double>
    ) {
        let guardValue = EmbeddingProblem.logGuard
        for p in 0..<pairs.count {
            let other = pairs.coordinates + p &* dims
            var d2 = 0.0
            for c in 0..<dims { d2 += (y[c] - other[c]) * (y[c] - other[c]) }
            let u = 1 + a * d2, v = u - 1 + guardValue * u, t = 1 / (u * v)
            coefficients[p] = t * (pairs.attraction[p] * v - pairs.repulsion[p])
        }
        for c in 0..<dims {
            let own = y[c]
            var sum = 0.0
            for p in 0..<pairs.count { sum += coefficients[p] * (own - pairs.coordinates[p &* dims &+ c]) }
            gradient[c] = sum
        }
    }

    /// `gradient` for lowdim 2, the default and the hot case: the same per-pair arithmetic with
    /// both coordinates in registers, and even and odd pairs summed apart so that two
    /// additions are in flight at once.
    @inline(__always)
    static func planarGradient(
        _ y: UnsafePointer<Double>, _ pairs: ProjectionPairs, a: Double, into gradient: UnsafeMutablePointer<Double>
    ) {
        let y0 = y[0], y1 = y[1], xy = pairs.coordinates
        @inline(__always) func force(_ p: Int) -> (Double, Double) {
            let dx = y0 - xy[2 &* p], dy = y1 - xy[2 &* p &+ 1]
            let u = 1 + a * (dx * dx + dy * dy), v = u - 1 + EmbeddingProblem.logGuard * u, t = 1 / (u * v)
            let coefficient = t * (pairs.attraction[p] * v - pairs.repulsion[p])
            return (coefficient * dx, coefficient * dy)
        }
        var even = (0.0, 0.0), odd = (0.0, 0.0)
        var p = 0
        while p &+ 1 < pairs.count {
            let f = force(p), g = force(p &+ 1)
            even = (even.0 + f.0, even.1 + f.1)
            odd = (odd.0 + g.0, odd.1 + g.1)
            p &+= 2
        }
        if p < pairs.count {
            let f = force(p)
            even = (even.0 + f.0, even.1 + f.1)
        }
        gradient[0] = even.0 + odd.0
        gradient[1] = even.1 + odd.1
    }
}

/// The baseline points a projection is evaluated against, in caller-owned scratch memory:
/// their coordinates (count × lowdim) and, per pair, the factors of the loss derivative with
/// respect to d²: 2a·w2·P·weight / m (attraction) and 2a·w1'·(1 − P)·weight / m (repulsion).
struct ProjectionPairs {
    let coordinates: UnsafeMutablePointer<Double>
    let attraction: UnsafeMutablePointer<Double>
    let repulsion: UnsafeMutablePointer<Double>
    var count: Int
}
