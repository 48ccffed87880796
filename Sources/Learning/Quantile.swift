/// Sample quantiles of finite values.
///
/// The definition is the one by linear interpolation between order statistics (Hyndman & Fan's
/// type 7, the default of R and NumPy): with the values sorted as x₀ ≤ … ≤ xₙ₋₁ and
/// h = (n − 1)·q, the quantile is x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋). So q = 0 gives the minimum,
/// q = 1 the maximum, and the result always lies inside the data's range.
///
/// Input is assumed free of NaN (NaN has no place in an order). An empty input gives `.nan`.
public enum Quantile {
    /// The q-quantile of `values` (any order), in the values' own unit.
    ///
    /// `q` is clamped to [0, 1]; a NaN `q` gives `.nan`. Sorts a copy: O(n log n).
    public static func of(_ values: [Double], _ q: Double) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        return ofSorted(values.sorted(), q)
    }

    /// The q-quantile of values already sorted in ascending order, without copying: O(1).
    ///
    /// For callers that ask several quantiles of the same data. The order is trusted, not checked.
    public static func ofSorted(_ sorted: [Double], _ q: Double) -> Double {
        if sorted.isEmpty || q.isNaN { return .nan }
        let p = min(max(q, 0), 1)
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        if lower >= sorted.count - 1 { return sorted[sorted.count - 1] }
        let fraction = h - Double(lower)
        let a = sorted[lower]
        let b = sorted[lower + 1]
        // Written as a + f·(b − a), so equal neighbours give that value exactly.
        return a + fraction * (b - a)
    }

    /// The median (the 0.5-quantile): the middle value, or the mean of the two middle values.
    public static func median(_ values: [Double]) -> Double {
        of(values, 0.5)
    }
}
