import Foundation
import Testing
import Imaging
import TestSupport
@testable import Subtraction

/// Physical checks of the ZOGY implementation on synthetic images, in the
/// manner of lsst/ip_diffim's tests: the noise statistics must match ZOGY's
/// prediction, and injected sources must come back with their flux.
@Suite struct ZOGYTests {
    static let size = 256

    /// A reference (deep, FWHM 2.6) and a new image (FWHM 3.4, noisier,
    /// 0.8× transparency) of the same 120 stars, plus optional transients in
    /// the new image only.
    static func pair(transients: [(x: Double, y: Double, flux: Double)] = [], seed: UInt64 = 1)
        -> (ZOGYInput, StarField) {
        let reference = StarField.make(width: size, height: size, count: 120, fwhm: 2.6, noise: 4, seed: seed)
        let ratio = 0.8
        var newStars = reference.truth.map { (x: $0.x, y: $0.y, flux: $0.flux * ratio) }
        newStars += transients.map { (x: $0.x, y: $0.y, flux: $0.flux * ratio) }
        let new = StarField.render(newStars, width: size, height: size, fwhm: 3.4, noise: 10, seed: seed &+ 7)
        let good = Image<MaskBits>.good(width: size, height: size)
        let input = ZOGYInput(
            new: MaskedImage(image: new.image, variance: new.rms.map { $0 * $0 }, mask: good),
            reference: MaskedImage(image: reference.image, variance: reference.rms.map { $0 * $0 }, mask: good),
            newPSF: PSFModel.moffat(fwhm: 3.4, size: 31), referencePSF: PSFModel.moffat(fwhm: 2.6, size: 31),
            newSigma: 10, referenceSigma: 4, fluxRatio: ratio)
        return (input, new)
    }

    @Test func scoreIsUnitNormalWhereNothingChanged() throws {
        let (input, _) = Self.pair()
        let result = try ZOGY(planner: FFTPlannerFixture.estimate).subtract(input)
        #expect(abs(result.scoreCorrectedStd - 1) < 0.1, "S_corr std \(result.scoreCorrectedStd)")
        #expect(abs(result.differenceStd - 1) < 0.1, "D std \(result.differenceStd)")
        // Nothing changed: no clean pixel beyond 5σ except the Gaussian tail
        // (~3e-7 of ~50k pixels).
        var beyond = 0
        for i in 0..<result.scoreCorrected.count where result.mask.pixels[i] == .good {
            if abs(result.scoreCorrected.pixels[i]) > 5 { beyond += 1 }
        }
        #expect(beyond == 0, "\(beyond) pixels beyond 5σ in a null subtraction")
    }

    @Test func injectedTransientsComeBackWithTheirFlux() throws {
        // A jittered 6×6 grid: transients never overlap each other, though
        // many land on or near the field's stars.
        var random = SeededRandom(seed: 99)
        var transients: [(x: Double, y: Double, flux: Double)] = []
        for gy in 0..<6 {
            for gx in 0..<6 {
                transients.append((x: 30 + Double(gx) * 39 + random.uniform(-4, 4),
                                   y: 30 + Double(gy) * 39 + random.uniform(-4, 4),
                                   flux: random.uniform(1_500, 8_000)))
            }
        }
        let (input, _) = Self.pair(transients: transients, seed: 3)
        let result = try ZOGY(planner: FFTPlannerFixture.estimate).subtract(input)
        var pulls: [Double] = []
        for t in transients {
            // S sampled at the true position; flux in reference units is S / F_S.
            let s = Double(result.score.lanczosSample(x: t.x, y: t.y))
            let v = Double(result.scoreVariance.lanczosSample(x: t.x, y: t.y))
            let flux = s / result.fluxScale, error = v.squareRoot() / result.fluxScale
            pulls.append((flux - t.flux) / error)
            #expect(Double(result.scoreCorrected.lanczosSample(x: t.x, y: t.y)) > 5)
        }
        let mean = pulls.reduce(0, +) / Double(pulls.count)
        let std = (pulls.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pulls.count - 1)).squareRoot()
        #expect(abs(mean) < 0.5, "pull mean \(mean)")
        #expect(abs(std - 1) < 0.25, "pull width \(std)")
    }

    /// The depth figure is what forced photometry at blank places scatters
    /// by: fluxes S / F_S at random positions of a null subtraction have a
    /// robust spread equal to the point-source flux error within 15%.
    @Test func pointSourceFluxErrorIsTheScatterOfForcedFluxes() throws {
        let (input, _) = Self.pair(seed: 5)
        let result = try ZOGY(planner: FFTPlannerFixture.estimate).subtract(input)
        var random = SeededRandom(seed: 17)
        var fluxes: [Double] = []
        for _ in 0..<600 {
            let x = random.uniform(24, Double(Self.size) - 24), y = random.uniform(24, Double(Self.size) - 24)
            fluxes.append(Double(result.score.lanczosSample(x: x, y: y)) / result.fluxScale)
        }
        let sorted = fluxes.sorted(), median = sorted[sorted.count / 2]
        let mad = fluxes.map { abs($0 - median) }.sorted()[fluxes.count / 2]
        let error = result.pointSourceFluxError()
        #expect(abs(1.4826 * mad / error - 1) < 0.15, "forced-flux spread \(1.4826 * mad), predicted \(error)")
        let depth = try #require(ZOGYResult.limitingMagnitude(fluxError: error, zeroPoint: 25))
        #expect(abs(depth - (25 - 2.5 * log10(5 * error))) < 1e-12)
        #expect(ZOGYResult.limitingMagnitude(fluxError: error, zeroPoint: nil) == nil)
        #expect(ZOGYResult.limitingMagnitude(fluxError: .nan, zeroPoint: 25) == nil)
    }

    @Test func mismatchedSizesAreRefused() throws {
        let (input, _) = Self.pair()
        var bad = input
        bad.reference = MaskedImage(image: Image(width: 10, height: 10, repeating: 0),
                                    variance: Image(width: 10, height: 10, repeating: 1), mask: .good(width: 10, height: 10))
        #expect(throws: SubtractionError.self) { try ZOGY(planner: FFTPlannerFixture.estimate).subtract(bad) }
    }
}

/// Tests plan with ESTIMATE: fast to plan, same results to float precision.
enum FFTPlannerFixture {
    static let estimate = FFT.FFTPlanner(rigor: .estimate)
}
import FFT
