/// Small dense kernels shared by `PCAReduction` and `NeighbourEmbedding`.
///
/// Every reduction sums in a fixed order, so results are bit-identical from run to run on the
/// same build; the split into independent partial sums lets the compiler vectorize without
/// changing that order.
enum EmbeddingMath {
    /// Σ a[i]·b[i] over `count` elements, with four interleaved partial sums.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < count {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Squared Euclidean distance between `a` and `b`, `count` elements each.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0
        var i = 0
        while i + 2 <= count {
            let d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1]
            s0 += d0 * d0
            s1 += d1 * d1
            i += 2
        }
        if i < count {
            let d = a[i] - b[i]
            s0 += d * d
        }
        return s0 + s1
    }

    /// A fixed pseudo-random number in [−1, 1) for the pair (i, j): a starting basis that is
    /// the same on every run and has no structure that could be orthogonal to the data.
    static func fixedUniform(_ i: Int, _ j: Int) -> Double {
        var z = UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: j) &* 0xC2B2_AE3D_27D4_EB4F
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-52 - 1
    }

    /// The p-quantile (0 ≤ p ≤ 1) of ascending `sorted`, interpolating linearly between order
    /// statistics (position p·(count − 1)). `sorted` must not be empty.
    static func quantile(sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// Eigen-decomposition of the symmetric `size` × `size` row-major matrix `matrix` by cyclic
    /// Jacobi rotations. Returns eigenvalues in decreasing order and the matching unit
    /// eigenvectors as the columns of a row-major `size` × `size` matrix. Meant for small
    /// matrices (a few dozen rows): the cost grows as size³ per sweep.
    static func symmetricEigen(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var m = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    let x = m[i * n + j] * m[i * n + j]
                    total += x
                    if i != j { off += x }
                }
            }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<n where m[p * n + q] != 0 {
                    rotate(&m, &v, n, p, q)
                }
            }
        }
        let order = (0..<n).sorted { m[$0 * n + $0] > m[$1 * n + $1] || (m[$0 * n + $0] == m[$1 * n + $1] && $0 < $1) }
        var vectors = [Double](repeating: 0, count: n * n)
        for (column, source) in order.enumerated() {
            for row in 0..<n { vectors[row * n + column] = v[row * n + source] }
        }
        return (order.map { m[$0 * n + $0] }, vectors)
    }

    /// One Jacobi rotation zeroing m[p][q], applied to `m` and accumulated into `v`.
    private static func rotate(_ m: inout [Double], _ v: inout [Double], _ n: Int, _ p: Int, _ q: Int) {
        let apq = m[p * n + q]
        let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
            let mkp = m[k * n + p], mkq = m[k * n + q]
            m[k * n + p] = c * mkp - s * mkq
            m[k * n + q] = s * mkp + c * mkq
        }
        for k in 0..<n {
            let mpk = m[p * n + k], mqk = m[q * n + k]
            m[p * n + k] = c * mpk - s * mqk
            m[q * n + k] = s * mpk + c * mqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
