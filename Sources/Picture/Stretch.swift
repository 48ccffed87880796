import Imaging

/// Maps image values to display grey levels the way astronomers look at
/// them: limits from robust statistics (the median ± k·σ, or percentiles),
/// an optional asinh stretch, and FITS orientation (row 0 at the bottom).
public enum Stretch {
    /// Display limits: `low` maps to black, `high` to white.
    public struct Limits: Sendable, Equatable {
        public var low: Float
        public var high: Float
        public init(low: Float, high: Float) {
            self.low = low
            self.high = high
        }
    }

    /// Limits at the median − `below` σ and median + `above` σ, with σ from
    /// the median absolute deviation (sampled; NaNs ignored). Good for
    /// difference images (symmetric) and for sky-dominated images.
    public static func robustLimits(_ image: Image<Float>, below: Float = 3, above: Float = 10) -> Limits {
        let step = max(1, image.count / 100_000)
        var values: [Float] = []
        var i = 0
        while i < image.count {
            if image.pixels[i].isFinite { values.append(image.pixels[i]) }
            i += step
        }
        guard !values.isEmpty else { return Limits(low: 0, high: 1) }
        let median = RobustStatistics.medianInPlace(&values)
        var deviations = values.map { abs($0 - median) }
        let sigma = max(1.4826 * RobustStatistics.medianInPlace(&deviations), 1e-12)
        return Limits(low: median - below * sigma, high: median + above * sigma)
    }

    /// 8-bit grey levels, top row of the picture = last row of the image, as
    /// DS9 shows FITS. `asinh` softens bright cores so faint structure shows.
    public static func grey(_ image: Image<Float>, limits: Limits, asinh useAsinh: Bool = false) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: image.count)
        let range = max(limits.high - limits.low, 1e-20)
        let norm: Float = useAsinh ? Float(Foundation.asinh(10.0)) : 1
        for y in 0..<image.height {
            let row = (image.height - 1 - y) * image.width
            for x in 0..<image.width {
                var t = (image.pixels[y * image.width + x] - limits.low) / range
                if !t.isFinite { t = 0 }
                t = min(max(t, 0), 1)
                if useAsinh { t = Float(Foundation.asinh(Double(10 * t))) / norm }
                out[row + x] = UInt8((t * 255).rounded())
            }
        }
        return out
    }
}

import Foundation
