/// Order statistics and sigma clipping on `Float` samples, the building blocks
/// of background estimation, PSF stacking and reference stacking.
///
/// Medians use quickselect on a scratch buffer (O(n)), never a full sort. For
/// an even count the median is the mean of the two middle values, as numpy
/// and astropy define it.
public enum RobustStatistics {
    /// The median of `values`, reordering them in place. NaNs must already be
    /// removed. Returns NaN for an empty buffer.
    public static func medianInPlace(_ values: inout [Float]) -> Float {
        values.withUnsafeMutableBufferPointer { medianInPlace($0) }
    }

    /// The median of the buffer's values, reordering them in place.
    public static func medianInPlace(_ buffer: UnsafeMutableBufferPointer<Float>) -> Float {
        let n = buffer.count
        guard n > 0 else { return .nan }
        let upper = select(buffer, k: n / 2)
        if n % 2 == 1 { return upper }
        // After selecting k = n/2, everything left of it is <= upper: the
        // lower middle value is the largest of that part.
        var lower = buffer[0]
        for i in 1..<(n / 2) where buffer[i] > lower { lower = buffer[i] }
        return (lower + upper) / 2
    }

    /// The k-th smallest value (0-based) of the buffer, partially reordering it
    /// (Hoare's quickselect with median-of-three pivots).
    public static func select(_ a: UnsafeMutableBufferPointer<Float>, k: Int) -> Float {
        var low = 0
        var high = a.count - 1
        while high > low {
            let mid = low + (high - low) / 2
            if a[mid] < a[low] { a.swapAt(mid, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[mid] { a.swapAt(high, mid) }
            let pivot = a[mid]
            var i = low
            var j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return a[k] }
        }
        return a[k]
    }

    /// Mean and standard deviation (population, divided by n) in Double.
    public static func meanAndStandardDeviation(_ values: UnsafeBufferPointer<Float>) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        var sum = 0.0
        for v in values { sum += Double(v) }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for v in values {
            let d = Double(v) - mean
            squares += d * d
        }
        return (mean, (squares / Double(values.count)).squareRoot())
    }
}

/// The outcome of iterative sigma clipping.
public struct ClippedStatistics: Sendable, Equatable {
    /// Mean of the surviving values.
    public var mean: Double
    /// Median of the surviving values.
    public var median: Double
    /// Standard deviation of the surviving values (population).
    public var standardDeviation: Double
    /// How many values survived.
    public var count: Int

    /// SExtractor's mode estimate: `2.5 × median − 1.5 × mean` when the
    /// distribution is only mildly skewed (`(mean − median) / σ < 0.3`), else
    /// the median, which is more robust in crowded fields.
    public var mode: Double {
        guard standardDeviation > 0 else { return median }
        if abs(mean - median) / standardDeviation < 0.3 {
            return 2.5 * median - 1.5 * mean
        }
        return median
    }
}

extension RobustStatistics {
    /// Clips values further than `sigma` standard deviations from the median,
    /// repeating until nothing more is clipped or `maxIterations` is reached.
    ///
    /// - Parameters:
    ///   - values: the samples; reordered and compacted in place (the first
    ///     `count` hold the survivors on return). NaNs must be removed first.
    ///   - sigma: the clip half-width in standard deviations (SExtractor: 3).
    ///   - maxIterations: an upper bound on clipping passes.
    public static func sigmaClip(_ values: inout [Float], sigma: Double = 3,
                                 maxIterations: Int = 10) -> ClippedStatistics {
        values.withUnsafeMutableBufferPointer { buffer in
            sigmaClip(buffer, sigma: sigma, maxIterations: maxIterations)
        }
    }

    /// Sigma clipping on a caller-owned buffer; see ``sigmaClip(_:sigma:maxIterations:)``.
    public static func sigmaClip(_ buffer: UnsafeMutableBufferPointer<Float>, sigma: Double = 3,
                                 maxIterations: Int = 10) -> ClippedStatistics {
        var n = buffer.count
        for _ in 0..<max(1, maxIterations) {
            let stats = statistics(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]))
            guard stats.count > 0 else { return stats }
            let low = Float(stats.median - sigma * stats.standardDeviation)
            let high = Float(stats.median + sigma * stats.standardDeviation)
            var kept = 0
            for i in 0..<n where buffer[i] >= low && buffer[i] <= high {
                buffer[kept] = buffer[i]
                kept += 1
            }
            if kept == n || kept == 0 { return stats }
            n = kept
        }
        return statistics(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]))
    }

    /// Mean, median and standard deviation of the buffer (reordered in place).
    static func statistics(_ live: UnsafeMutableBufferPointer<Float>) -> ClippedStatistics {
        guard !live.isEmpty else {
            return ClippedStatistics(mean: .nan, median: .nan, standardDeviation: .nan, count: 0)
        }
        let (mean, std) = meanAndStandardDeviation(UnsafeBufferPointer(live))
        let median = Double(medianInPlace(live))
        return ClippedStatistics(mean: mean, median: median, standardDeviation: std, count: live.count)
    }
}
