import Foundation
import Testing
@testable import Imaging
import TestSupport

@Suite struct PSFEstimatorTests {
    @Test func moffatModelHasItsFWHM() {
        for fwhm in [1.5, 2.5, 3.5] {
            let psf = PSFModel.moffat(fwhm: fwhm)
            let total = psf.stamp.pixels.reduce(0, +)
            #expect(abs(total - 1) < 1e-5)
            // Pixel integration broadens a narrow PSF a little.
            #expect(abs(psf.fwhm - fwhm) < 0.12 * fwhm + 0.1, "FWHM \(psf.fwhm) for \(fwhm)")
        }
    }

    @Test func detectsStarsAtTheirPositions() {
        let field = StarField.make(seed: 3)
        let stars = StarDetector.detect(field.image, rms: field.rms)
        let grid = SpatialGrid(points: stars.map(\.position), cellSize: 3)
        // Every star without a brighter neighbour within 2.5 FWHM is found.
        let separable = field.truth.filter { t in
            !field.truth.contains { $0.flux > t.flux && hypot($0.x - t.x, $0.y - t.y) < 7.5 }
        }
        let found = separable.filter { grid.nearest(to: PixelPoint(x: $0.x, y: $0.y), within: 2) != nil }
        #expect(found.count == separable.count, "found \(found.count) of \(separable.count) separable stars")
        #expect(stars.count <= field.truth.count + 5, "\(stars.count) sources for \(field.truth.count) stars")
        var offsets: [Double] = []
        for t in field.truth where t.flux > 20_000 {
            guard let i = grid.nearest(to: PixelPoint(x: t.x, y: t.y), within: 2) else { continue }
            if stars[i].flags.contains(.crowded) { continue }
            offsets.append(hypot(stars[i].position.x - t.x, stars[i].position.y - t.y))
        }
        offsets.sort()
        #expect(offsets.count > 20)
        #expect(offsets[offsets.count / 2] < 0.05, "median offset \(offsets[offsets.count / 2]) px")
    }

    @Test(arguments: [1.8, 3.2])
    func empiricalPSFMatchesTheTruth(fwhm: Double) throws {
        let field = StarField.make(width: 384, height: 384, count: 200, fwhm: fwhm, seed: 4)
        let stars = StarDetector.detect(field.image, rms: field.rms)
        let psf = try PSFEstimator.estimate(field.image, stars: stars, mask: nil)
        let truth = PSFModel.moffat(fwhm: fwhm, size: psf.size)
        #expect(psf.starsUsed >= 10)
        #expect(abs(psf.fwhm - truth.fwhm) < 0.08 * truth.fwhm, "PSF FWHM \(psf.fwhm) vs \(truth.fwhm)")
        // The stacked shape agrees with the truth to a few per cent of the peak.
        let peak = truth.stamp.pixels.max()!
        let worst = zip(psf.stamp.pixels, truth.stamp.pixels).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05 * peak, "worst PSF residual \(worst / peak) of peak")
    }

    @Test func tooFewStarsIsAClearError() {
        let field = StarField.make(count: 2, seed: 5)
        let stars = StarDetector.detect(field.image, rms: field.rms)
        #expect(throws: PSFError.self) { try PSFEstimator.estimate(field.image, stars: stars, mask: nil) }
    }
}
