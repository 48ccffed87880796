/// Small dense linear systems, for least-squares fits of a handful of
/// parameters (PSF phase terms, affine and polynomial transforms, flux
/// ratios).
public enum LinearSolve {
    /// Solves the n×(n+1) augmented system [A | b] by Gaussian elimination
    /// with partial pivoting. Returns nil when A is singular (to 1e-12
    /// relative).
    public static func solve(augmented matrix: [[Double]]) -> [Double]? {
        var a = matrix
        let n = a.count
        for column in 0..<n {
            var pivot = column
            for row in (column + 1)..<max(column + 1, n) where abs(a[row][column]) > abs(a[pivot][column]) {
                pivot = row
            }
            let scale = a.map { abs($0[column]) }.max() ?? 0
            guard abs(a[pivot][column]) > 1e-12 * max(scale, 1e-300) else { return nil }
            if pivot != column { a.swapAt(pivot, column) }
            for row in 0..<n where row != column {
                let factor = a[row][column] / a[column][column]
                guard factor != 0 else { continue }
                for k in column...n { a[row][k] -= factor * a[column][k] }
            }
        }
        return (0..<n).map { a[$0][n] / a[$0][$0] }
    }

    /// Least-squares solution of `rows · x ≈ values`, optionally weighted,
    /// through the normal equations. Returns nil when the system is singular.
    public static func leastSquares(rows: [[Double]], values: [Double], weights: [Double]? = nil) -> [Double]? {
        guard let terms = rows.first?.count, rows.count >= terms else { return nil }
        var a = [[Double]](repeating: [Double](repeating: 0, count: terms + 1), count: terms)
        for (s, row) in rows.enumerated() {
            let w = weights?[s] ?? 1
            for i in 0..<terms {
                for j in 0..<terms { a[i][j] += w * row[i] * row[j] }
                a[i][terms] += w * row[i] * values[s]
            }
        }
        return solve(augmented: a)
    }
}
