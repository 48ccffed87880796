import Testing
import FFT

@Suite struct SpectrumArithmeticTests {
    /// Circular convolution straight from the definition.
    private func directConvolution(_ a: Image<Float>, _ b: Image<Float>) -> Image<Float> {
        var out = Image<Float>(width: a.width, height: a.height, repeating: 0)
        for y in 0..<a.height {
            for x in 0..<a.width {
                var sum: Float = 0
                for j in 0..<a.height {
                    for i in 0..<a.width {
                        sum += a[i, j] * b[(x - i + a.width) % a.width, (y - j + a.height) % a.height]
                    }
                }
                out[x, y] = sum
            }
        }
        return out
    }

    /// Circular cross-correlation: c[x] = Σ_y a[x + y] b[y].
    private func directCorrelation(_ a: Image<Float>, _ b: Image<Float>) -> Image<Float> {
        var out = Image<Float>(width: a.width, height: a.height, repeating: 0)
        for y in 0..<a.height {
            for x in 0..<a.width {
                var sum: Float = 0
                for j in 0..<a.height {
                    for i in 0..<a.width {
                        sum += a[(x + i) % a.width, (y + j) % a.height] * b[i, j]
                    }
                }
                out[x, y] = sum
            }
        }
        return out
    }

    @Test(arguments: [(12, 10), (9, 7)])
    func productIsConvolution(width: Int, height: Int) throws {
        let plan = try estimatePlan(width: width, height: height)
        let a = noiseImage(width: width, height: height, seed: 11)
        let b = noiseImage(width: width, height: height, seed: 12)
        let expected = directConvolution(a, b)
        #expect(maxDifference(plan.inverse(plan.forward(a).multiplied(by: plan.forward(b))), expected) < 1e-4)
        var inPlace = plan.forward(a)
        inPlace.multiply(by: plan.forward(b))
        #expect(maxDifference(plan.inverse(inPlace), expected) < 1e-4)
    }

    @Test func conjugateProductIsCorrelation() throws {
        let plan = try estimatePlan(width: 8, height: 5)
        let a = noiseImage(width: 8, height: 5, seed: 21)
        let b = noiseImage(width: 8, height: 5, seed: 22)
        let expected = directCorrelation(a, b)
        let fa = plan.forward(a), fb = plan.forward(b)
        #expect(maxDifference(plan.inverse(fa.multiplied(byConjugateOf: fb)), expected) < 1e-4)
        var inPlace = fa
        inPlace.multiply(byConjugateOf: fb)
        #expect(maxDifference(plan.inverse(inPlace), expected) < 1e-4)
        #expect(fa == plan.forward(a), "the in-place product must not write through a shared copy")
    }

    @Test func magnitudeSquaredAndRealWeights() {
        var spectrum = Spectrum(width: 4, height: 2)
        #expect(spectrum.count == 6)
        spectrum[1, 0] = (re: 3, im: 4)
        spectrum[2, 1] = (re: -1, im: 2)
        #expect(spectrum.magnitudeSquared() == [0, 25, 0, 0, 0, 5])
        spectrum.multiply(byReal: [1, 2, 1, 1, 1, 0.5])
        #expect(spectrum[1, 0] == (re: 6, im: 8))
        #expect(spectrum[2, 1] == (re: -0.5, im: 1))
        spectrum.scale(by: 2)
        #expect(spectrum[1, 0] == (re: 12, im: 16))
    }
}
