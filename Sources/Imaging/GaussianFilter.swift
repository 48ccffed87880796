import Foundation

/// Separable Gaussian smoothing: the matched filter SExtractor applies before
/// thresholding, so faint point sources rise above the noise.
public enum GaussianFilter {
    /// A normalised 1-D Gaussian of the given sigma (pixels), truncated at
    /// ±`truncation` sigma.
    public static func kernel(sigma: Double, truncation: Double = 3.5) -> [Float] {
        let half = max(1, Int((truncation * sigma).rounded(.up)))
        let raw = (-half...half).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let sum = raw.reduce(0, +)
        return raw.map { Float($0 / sum) }
    }

    /// `image` convolved with a circular Gaussian of `sigma` pixels. NaNs are
    /// treated as zero. Edges are handled by renormalising the kernel over
    /// the pixels that exist, so a flat image stays flat.
    public static func smooth(_ image: Image<Float>, sigma: Double) -> Image<Float> {
        let k = kernel(sigma: sigma)
        let rows = convolveRows(image, k)
        return convolveColumns(rows, k)
    }

    /// The factor by which smoothing with `sigma` scales white noise. For the
    /// separable kernel K(x, y) = k(x) k(y) it is √(Σ K²) = Σ k².
    public static func noiseScale(sigma: Double) -> Double {
        kernel(sigma: sigma).reduce(0) { $0 + Double($1) * Double($1) }
    }

    private static func convolveRows(_ image: Image<Float>, _ k: [Float]) -> Image<Float> {
        let w = image.width, h = image.height, half = k.count / 2
        var out = Image<Float>(width: w, height: h, repeating: 0)
        image.pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = y * w
                    for x in 0..<w {
                        var sum: Float = 0, norm: Float = 0
                        for j in max(0, half - x)..<min(k.count, w - x + half) {
                            let v = src[row + x + j - half]
                            guard !v.isNaN else { continue }
                            sum += k[j] * v
                            norm += k[j]
                        }
                        dst[row + x] = norm > 0 ? sum / norm : 0
                    }
                }
            }
        }
        return out
    }

    private static func convolveColumns(_ image: Image<Float>, _ k: [Float]) -> Image<Float> {
        let w = image.width, h = image.height, half = k.count / 2
        var out = Image<Float>(width: w, height: h, repeating: 0)
        image.pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                var sums = [Float](repeating: 0, count: w)
                for y in 0..<h {
                    let lo = max(0, half - y), hi = min(k.count, h - y + half)
                    var norm: Float = 0
                    for x in 0..<w { sums[x] = 0 }
                    for j in lo..<hi {
                        let weight = k[j]
                        norm += weight
                        let row = (y + j - half) * w
                        for x in 0..<w { sums[x] += weight * src[row + x] }
                    }
                    let inverse = 1 / norm
                    for x in 0..<w { dst[y * w + x] = sums[x] * inverse }
                }
            }
        }
        return out
    }
}
