import Testing
@testable import Imaging

@Suite struct BackgroundModelTests {
    /// A sky with a gradient, Gaussian noise and a scatter of bright stars.
    static func skyImage(width: Int, height: Int, sigma: Double, seed: UInt64) -> (Image<Float>, (Int, Int) -> Double) {
        var random = SeededRandom(seed: seed)
        let truth: (Int, Int) -> Double = { x, y in 1000 + 0.2 * Double(x) - 0.1 * Double(y) }
        var image = Image<Float>(width: width, height: height, repeating: 0)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] = Float(truth(x, y) + random.normal(mean: 0, sigma: sigma))
            }
        }
        for _ in 0..<60 {
            let cx = random.uniform(5, Double(width - 5)), cy = random.uniform(5, Double(height - 5))
            let flux = random.uniform(2_000, 50_000)
            for y in max(0, Int(cy) - 8)...min(height - 1, Int(cy) + 8) {
                for x in max(0, Int(cx) - 8)...min(width - 1, Int(cx) + 8) {
                    let r2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
                    image[x, y] += Float(flux / (2 * .pi * 4) * (-r2 / 8).exp)
                }
            }
        }
        return (image, truth)
    }

    @Test func recoversGradientAndNoise() {
        let (image, truth) = Self.skyImage(width: 256, height: 192, sigma: 20, seed: 1)
        let model = BackgroundModel.estimate(image, parameters: BackgroundParameters(meshSize: 32))
        #expect(model.meshColumns == 8 && model.meshRows == 6)
        let level = model.levelImage()
        let rms = model.rmsImage()
        var worst = 0.0, sum = 0.0, n = 0.0
        for y in 0..<192 {
            for x in 0..<256 {
                let error = abs(Double(level[x, y]) - truth(x, y))
                worst = max(worst, error)
                sum += error
                n += 1
            }
        }
        // SExtractor's mode estimate (2.5 median − 1.5 mean) on a 32² cell has
        // a noise of about 2.14 σ/√1024 ≈ 1.3 ADU; the spline extrapolates
        // that at the edges. The map must be as good as its cells allow.
        let cellNoise = 2.14 * 20 / 32.0
        #expect(sum / n < 1.2 * cellNoise, "mean background error \(sum / n) ADU")
        #expect(worst < 6 * cellNoise, "worst background error \(worst) ADU")
        #expect(abs(Double(model.globalRMS) - 20) < 1.5)
        #expect(abs(Double(rms[100, 100]) - 20) < 2)
    }

    @Test func maskedAndNaNPixelsAreIgnored() {
        var (image, truth) = Self.skyImage(width: 128, height: 128, sigma: 10, seed: 2)
        var mask = Image<MaskBits>.good(width: 128, height: 128)
        for y in 0..<128 {
            image[40, y] = 60_000              // a hot column, masked
            mask[40, y] = .bad
            image[90, y] = .nan                // no data
        }
        let model = BackgroundModel.estimate(image, mask: mask, parameters: BackgroundParameters(meshSize: 32))
        let level = model.levelImage()
        #expect(abs(Double(level[40, 64]) - truth(40, 64)) < 4)
        #expect(level.pixels.allSatisfy { !$0.isNaN })
    }

    @Test func cellsWithoutDataAreFilledFromNeighbours() {
        var (image, _) = Self.skyImage(width: 128, height: 128, sigma: 10, seed: 3)
        for y in 0..<40 { for x in 0..<40 { image[x, y] = .nan } }
        let model = BackgroundModel.estimate(image, parameters: BackgroundParameters(meshSize: 32))
        #expect(model.meshLevels.allSatisfy { !$0.isNaN })
        #expect(abs(Double(model.meshLevels[0]) - 1000) < 20)
    }
}

extension Double {
    fileprivate var exp: Double { Foundation.exp(self) }
}
import Foundation
