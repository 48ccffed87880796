/// The leading eigenvectors of a symmetric positive semi-definite matrix by block subspace
/// iteration with Rayleigh–Ritz, for `PCAReduction`.
///
/// Why this method: a full Jacobi or QR decomposition of an 1100 × 1100 covariance costs
/// seconds to minutes, and the reduction needs only its top few eigenvectors. Each iteration
/// multiplies a block of p = k + max(8, k) vectors by the matrix (d²·p multiply-adds), rotates
/// the block onto its Ritz vectors and re-orthonormalizes it with modified Gram–Schmidt (applied
/// twice, which keeps it orthonormal to rounding). The extra p − k vectors speed convergence of
/// the k wanted ones from (λ_{k+1}/λ_k)^t to (λ_{p+1}/λ_k)^t.
///
/// It stops when none of the top k Ritz values moved by more than `tolerance` × the largest
/// between two iterations, or after `iterationLimit` iterations. Directions inside a part of
/// the spectrum that is flat to that tolerance (a noise floor) are then a fixed but arbitrary
/// basis of that part, which is all the data defines. The starting block is a fixed
/// pseudo-random matrix, so the result is the same on every run.
enum SubspaceEigenSolver {
    /// Relative change of the Ritz values below which the iteration stops.
    static let tolerance = 1e-10
    /// Most iterations run.
    static let iterationLimit = 300

    /// The top `k` eigenpairs of the symmetric row-major `size` × `size` matrix `matrix`:
    /// eigenvalues in decreasing order and eigenvectors row-major k × size (one contiguous unit
    /// vector each).
    static func top(_ k: Int, of matrix: [Double], size d: Int) -> (values: [Double], vectors: [Double], iterations: Int, converged: Bool) {
        let p = min(d, k + max(8, k))
        var basis = [Double](repeating: 0, count: p * d)
        for c in 0..<p { for i in 0..<d { basis[c * d + i] = EmbeddingMath.fixedUniform(c, i) } }
        orthonormalize(&basis, count: p, length: d)
        var previous = [Double](repeating: .infinity, count: k)
        var iteration = 0
        while true {
            iteration += 1
            let image = multiply(matrix, basis, size: d, count: p)
            let ritz = EmbeddingMath.symmetricEigen(rayleighQuotient(basis, image, count: p, length: d), size: p)
            let scale = max(abs(ritz.values[0]), Double.leastNormalMagnitude)
            var change = 0.0
            for i in 0..<k { change = max(change, abs(ritz.values[i] - previous[i])) }
            let converged = change <= tolerance * scale
            if converged || iteration >= iterationLimit {
                let vectors = rotate(basis, by: ritz.vectors, count: p, length: d, keep: k)
                return (Array(ritz.values[0..<k]), vectors, iteration, converged)
            }
            previous = Array(ritz.values[0..<k])
            basis = rotate(image, by: ritz.vectors, count: p, length: d, keep: p)
            orthonormalize(&basis, count: p, length: d)
        }
    }

    /// matrix · each of the `count` vectors in `block` (vector-contiguous, `count` × size).
    private static func multiply(_ matrix: [Double], _ block: [Double], size d: Int, count p: Int) -> [Double] {
        var out = [Double](repeating: 0, count: p * d)
        matrix.withUnsafeBufferPointer { mb in
            block.withUnsafeBufferPointer { bb in
                out.withUnsafeMutableBufferPointer { ob in
                    for i in 0..<d {
                        let row = mb.baseAddress! + i * d
                        for c in 0..<p { ob[c * d + i] = EmbeddingMath.dot(row, bb.baseAddress! + c * d, d) }
                    }
                }
            }
        }
        return out
    }

    /// The symmetric `count` × `count` matrix basisᵀ · image.
    private static func rayleighQuotient(_ basis: [Double], _ image: [Double], count p: Int, length d: Int) -> [Double] {
        var h = [Double](repeating: 0, count: p * p)
        basis.withUnsafeBufferPointer { bb in
            image.withUnsafeBufferPointer { ib in
                for a in 0..<p {
                    for b in a..<p {
                        let ab = EmbeddingMath.dot(bb.baseAddress! + a * d, ib.baseAddress! + b * d, d)
                        let ba = EmbeddingMath.dot(bb.baseAddress! + b * d, ib.baseAddress! + a * d, d)
                        h[a * p + b] = 0.5 * (ab + ba)
                        h[b * p + a] = h[a * p + b]
                    }
                }
            }
        }
        return h
    }

    /// The first `keep` columns of block · rotation, where `rotation` is row-major
    /// `count` × `count` and the result is vector-contiguous `keep` × length.
    private static func rotate(_ block: [Double], by rotation: [Double], count p: Int, length d: Int, keep: Int) -> [Double] {
        var out = [Double](repeating: 0, count: keep * d)
        block.withUnsafeBufferPointer { bb in
            out.withUnsafeMutableBufferPointer { ob in
                for c in 0..<keep {
                    let target = ob.baseAddress! + c * d
                    for b in 0..<p {
                        let factor = rotation[b * p + c]
                        let source = bb.baseAddress! + b * d
                        for i in 0..<d { target[i] += factor * source[i] }
                    }
                }
            }
        }
        return out
    }

    /// Modified Gram–Schmidt, twice, over `count` contiguous vectors of `length`. A vector that
    /// vanishes (the matrix has lower rank than the block) is replaced by a fixed pseudo-random
    /// one, orthogonalized in turn, so the block stays a full orthonormal basis.
    static func orthonormalize(_ block: inout [Double], count p: Int, length d: Int) {
        block.withUnsafeMutableBufferPointer { bb in
            let base = bb.baseAddress!
            for c in 0..<p {
                let v = base + c * d
                let original = EmbeddingMath.dot(v, v, d).squareRoot()
                var attempt = 0
                while true {
                    for _ in 0..<2 {
                        for b in 0..<c {
                            let u = base + b * d
                            let projection = EmbeddingMath.dot(u, v, d)
                            for i in 0..<d { v[i] -= projection * u[i] }
                        }
                    }
                    let norm = EmbeddingMath.dot(v, v, d).squareRoot()
                    if norm > 1e-10 * original, norm > 0 {
                        for i in 0..<d { v[i] /= norm }
                        break
                    }
                    attempt += 1
                    for i in 0..<d { v[i] = EmbeddingMath.fixedUniform(p + c + attempt * 7919, i) }
                }
            }
        }
    }
}
