import Imaging

/// Robust noise estimates on difference products.
public enum NoiseEstimate {
    /// 1.4826 × the median absolute deviation of pixels without any mask bit,
    /// from at most ~250 000 evenly spaced samples: the σ of a Gaussian
    /// core, insensitive to the sources in the image.
    public static func robustStd(_ image: Image<Float>, mask: Image<MaskBits>) -> Double {
        let stride = max(1, image.count / 250_000)
        var values: [Float] = []
        values.reserveCapacity(image.count / stride + 1)
        var i = 0
        while i < image.count {
            if mask.pixels[i] == .good, image.pixels[i].isFinite { values.append(image.pixels[i]) }
            i += stride
        }
        guard values.count > 10 else { return .nan }
        let median = RobustStatistics.medianInPlace(&values)
        var deviations = values.map { abs($0 - median) }
        return 1.4826 * Double(RobustStatistics.medianInPlace(&deviations))
    }
}
