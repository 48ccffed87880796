import Foundation
import Testing
@testable import FFT

@Suite struct FFTTransformTests {
    @Test(arguments: [(64, 48), (33, 17), (256, 256), (1, 7), (5, 1)])
    func roundTripReturnsTheInput(width: Int, height: Int) throws {
        let plan = try estimatePlan(width: width, height: height)
        let image = noiseImage(width: width, height: height)
        let back = plan.inverse(plan.forward(image))
        #expect(back.width == width && back.height == height)
        #expect(maxDifference(back, image) < 1e-5)
    }

    @Test func copyingPathsGiveTheSameResultAsInPlace() throws {
        let plan = try estimatePlan(width: 31, height: 20)
        let image = noiseImage(width: 31, height: 20, seed: 3)
        let spectrum = plan.forward(image)
        #expect(plan.forward(image, inPlaceIfAligned: false) == spectrum)
        #expect(plan.inverse(spectrum, inPlaceIfAligned: false) == plan.inverse(spectrum))
    }

    @Test func inverseLeavesTheCallersSpectrumAlone() throws {
        let plan = try estimatePlan(width: 16, height: 9)
        let spectrum = plan.forward(noiseImage(width: 16, height: 9))
        let before = spectrum.withUnsafeValues { Array($0) }
        _ = plan.inverse(spectrum)
        #expect(spectrum.withUnsafeValues { Array($0) } == before)
    }

    @Test func deltaAtOriginHasAFlatUnitSpectrum() throws {
        var delta = Image<Float>(width: 12, height: 7, repeating: 0)
        delta[0, 0] = 1
        let spectrum = try estimatePlan(width: 12, height: 7).forward(delta)
        #expect(spectrum.columns == 7 && spectrum.count == 49)
        for v in 0..<spectrum.height {
            for u in 0..<spectrum.columns {
                let value = spectrum[u, v]
                #expect(abs(value.re - 1) < 1e-6 && abs(value.im) < 1e-6)
            }
        }
    }

    @Test func shiftedDeltaHasUnitMagnitudeAndTheExpectedPhase() throws {
        let (width, height, x0, y0) = (10, 6, 3, 2)
        var delta = Image<Float>(width: width, height: height, repeating: 0)
        delta[x0, y0] = 1
        let spectrum = try estimatePlan(width: width, height: height).forward(delta)
        #expect(spectrum.magnitudeSquared().allSatisfy { abs($0 - 1) < 1e-5 })
        // FFTW's forward sign: F(u, v) = exp(-2πi (u x0 / W + v y0 / H)).
        let phase = -2 * Float.pi * (Float(1 * x0) / Float(width) + Float(1 * y0) / Float(height))
        let value = spectrum[1, 1]
        #expect(abs(value.re - cos(phase)) < 1e-5 && abs(value.im - sin(phase)) < 1e-5)
    }

    @Test func dcTermIsThePixelSum() throws {
        let image = noiseImage(width: 9, height: 4, seed: 7)
        let spectrum = try estimatePlan(width: 9, height: 4).forward(image)
        #expect(abs(spectrum[0, 0].re - image.pixels.reduce(0, +)) < 1e-4)
    }
}
