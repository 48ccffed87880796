import FFT

/// Deterministic pseudo-random pixels in [-1, 1), so failures reproduce.
func noiseImage(width: Int, height: Int, seed: UInt64 = 1) -> Image<Float> {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    let pixels = (0..<width * height).map { _ -> Float in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
    return Image(width: width, height: height, pixels: pixels)
}

/// Largest absolute pixel difference between two images of the same size.
func maxDifference(_ a: Image<Float>, _ b: Image<Float>) -> Float {
    precondition(a.width == b.width && a.height == b.height)
    return zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 0
}

/// Estimate planning keeps tests fast; the algorithms are exact either way.
func estimatePlan(width: Int, height: Int) throws -> FFTPlan {
    try FFTPlanner(rigor: .estimate).plan(width: width, height: height)
}
