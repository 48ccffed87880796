import Foundation
import Testing
@testable import Imaging

@Suite struct MeasurementTests {
    /// An elliptical Gaussian source, integrated at pixel centres, plus noise.
    static func gaussian(width: Int = 41, height: Int = 41, x0: Double, y0: Double, sigmaMajor: Double,
                         sigmaMinor: Double, thetaDegrees: Double, flux: Double, noise: Double,
                         seed: UInt64) -> Image<Float> {
        var random = SeededRandom(seed: seed)
        let t = thetaDegrees * .pi / 180
        let (c, s) = (cos(t), sin(t))
        var image = Image<Float>(width: width, height: height, repeating: 0)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - x0, dy = Double(y) - y0
                let u = c * dx + s * dy, v = -s * dx + c * dy
                let q = u * u / (sigmaMajor * sigmaMajor) + v * v / (sigmaMinor * sigmaMinor)
                let value = flux / (2 * .pi * sigmaMajor * sigmaMinor) * exp(-0.5 * q)
                image[x, y] = Float(value + random.normal(mean: 0, sigma: noise))
            }
        }
        return image
    }

    @Test func windowedCentroidFindsSubpixelPosition() throws {
        let image = Self.gaussian(x0: 20.37, y0: 19.81, sigmaMajor: 1.5, sigmaMinor: 1.5, thetaDegrees: 0,
                                  flux: 20_000, noise: 1, seed: 5)
        let found = try #require(WindowedCentroid.refine(image, start: PixelPoint(x: 20, y: 20), sigma: 1.5))
        #expect(abs(found.x - 20.37) < 0.01)
        #expect(abs(found.y - 19.81) < 0.01)
    }

    @Test func adaptiveMomentsRecoverGaussianShape() throws {
        let image = Self.gaussian(x0: 20.2, y0: 20.6, sigmaMajor: 3, sigmaMinor: 1.5, thetaDegrees: 30,
                                  flux: 50_000, noise: 0.5, seed: 6)
        let shape = try #require(AdaptiveMoments.measure(image, center: PixelPoint(x: 20.2, y: 20.6), initialSigma: 2))
        #expect(abs(shape.a - 3) < 0.05)
        #expect(abs(shape.b - 1.5) < 0.05)
        #expect(abs(shape.thetaDegrees - 30) < 1)
        #expect(abs(shape.elongation - 2) < 0.05)
        #expect(abs(shape.fwhm - 2.3548 * (3 * 1.5).squareRoot()) < 0.05)
    }

    @Test func emptyWindowGivesNoMeasurement() {
        let image = Image<Float>(width: 21, height: 21, repeating: 0)
        #expect(WindowedCentroid.refine(image, start: PixelPoint(x: 10, y: 10), sigma: 1.5) == nil)
        #expect(AdaptiveMoments.measure(image, center: PixelPoint(x: 10, y: 10), initialSigma: 1.5) == nil)
    }
}
