import Imaging

/// The per-pixel combination of aligned layers: weighted mean with clipping.
enum StackCombiner {
    struct Result {
        var image: Image<Float>
        var noise: Image<Float>
        var depth: Image<Float>
    }

    /// For each pixel: the usable layers' values, the weighted median, then
    /// the weighted mean of the values within `clipSigma` σ of it, and the
    /// noise √(1/Σ(1/σ²)) of that mean. The clipping σ of a layer is its sky
    /// noise widened by `tolerance` × |median|: seeing differs between
    /// exposures, so a bright star's core differs by far more than the sky
    /// noise, and clipping it would bias the stack's PSF. Cosmic rays and
    /// transients still stand far out.
    static func combine(_ layers: [StackLayer], width: Int, height: Int, clipSigma: Double,
                        tolerance: Float = 0.1) -> Result {
        var image = Image<Float>(width: width, height: height, repeating: .nan)
        var noise = Image<Float>(width: width, height: height, repeating: .nan)
        var depth = Image<Float>(width: width, height: height, repeating: 0)
        var values: [(value: Float, sigma: Float, weight: Float)] = []
        for i in 0..<(width * height) {
            values.removeAll(keepingCapacity: true)
            for layer in layers where layer.mask.pixels[i].isDisjoint(with: [.noData, .saturated, .trail, .edge])
                && !layer.mask.pixels[i].needsZeroing {
                let variance = max(layer.variance.pixels[i], 1e-20)
                values.append((layer.image.pixels[i], variance.squareRoot(), Float(layer.weight)))
            }
            guard !values.isEmpty else { continue }
            let centre = weightedMedian(values)
            let slack = tolerance * abs(centre)
            func kept(_ v: (value: Float, sigma: Float, weight: Float)) -> Bool {
                values.count < 3 || abs(v.value - centre) <= Float(clipSigma) * (v.sigma * v.sigma + slack * slack).squareRoot()
            }
            var sum: Float = 0, weights: Float = 0, n: Float = 0
            for v in values where kept(v) {
                sum += v.weight * v.value
                weights += v.weight
                n += 1
            }
            guard weights > 0 else { continue }
            image.pixels[i] = sum / weights
            // Noise of a weighted mean with weights ∝ 1/σ²: √(1 / Σ(1/σ²)).
            var inverseVariance: Float = 0
            for v in values where kept(v) {
                inverseVariance += 1 / (v.sigma * v.sigma)
            }
            noise.pixels[i] = (1 / inverseVariance).squareRoot()
            depth.pixels[i] = n
        }
        return Result(image: image, noise: noise, depth: depth)
    }

    static func weightedMedian(_ values: [(value: Float, sigma: Float, weight: Float)]) -> Float {
        let sorted = values.sorted { $0.value < $1.value }
        let half = sorted.reduce(0) { $0 + $1.weight } / 2
        var running: Float = 0
        for v in sorted {
            running += v.weight
            if running >= half { return v.value }
        }
        return sorted.last!.value
    }
}
