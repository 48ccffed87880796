import Foundation
import Testing
@testable import Imaging
import TestSupport

@Suite struct RegistrationTests {
    /// Reference → science: a rotation of 0.4° about the centre and a shift
    /// of (+17.3, −11.6) px, as between two pointings of one field.
    static let truth: PixelTransform = {
        let angle = 0.4 * Double.pi / 180, c = 192.0
        let (cs, sn) = (cos(angle), sin(angle))
        return PixelTransform(order: 1, originX: c, originY: c, scale: 1,
                              xCoefficients: [c + 17.3, cs, -sn], yCoefficients: [c - 11.6, sn, cs])
    }()

    static func pair(noise: Double = 8) -> (reference: StarField, science: StarField) {
        let reference = StarField.make(width: 384, height: 384, count: 260, fwhm: 2.8, noise: noise, seed: 21)
        let moved = reference.truth.map { t -> (x: Double, y: Double, flux: Double) in
            let p = truth.apply(PixelPoint(x: t.x, y: t.y))
            return (p.x, p.y, t.flux)
        }
        let science = StarField.render(moved, width: 384, height: 384, fwhm: 3.3, noise: noise, seed: 22)
        return (reference, science)
    }

    @Test func recoversShiftAndRotationWithoutAWCS() throws {
        let (reference, science) = Self.pair()
        let refStars = StarDetector.detect(reference.image, rms: reference.rms)
        let sciStars = StarDetector.detect(science.image, rms: science.rms)
        // No WCS: predict identity; the 17 px offset is found by voting.
        let registration = try StarMatcher.register(science: sciStars, reference: refStars, predict: { $0 })
        #expect(registration.pairs.count > 30)
        #expect(registration.rmsPixels < 0.1, "rms \(registration.rmsPixels) px")
        var worst = 0.0
        for y in stride(from: 20.0, to: 364, by: 40) {
            for x in stride(from: 20.0, to: 364, by: 40) {
                let expected = Self.truth.apply(PixelPoint(x: x, y: y))
                let fitted = registration.referenceToScience.apply(PixelPoint(x: x, y: y))
                worst = max(worst, hypot(fitted.x - expected.x, fitted.y - expected.y))
            }
        }
        #expect(worst < 0.05, "worst transform error \(worst) px")
    }

    @Test func resampledScienceLandsOnTheReferenceGridWithItsFlux() throws {
        let (reference, science) = Self.pair(noise: 2)
        let refStars = StarDetector.detect(reference.image, rms: reference.rms)
        let sciStars = StarDetector.detect(science.image, rms: science.rms)
        let registration = try StarMatcher.register(science: sciStars, reference: refStars, predict: { $0 })
        let source = MaskedImage(image: science.image, variance: science.rms.map { $0 * $0 },
                                 mask: .good(width: 384, height: 384))
        let aligned = Resampler.resample(source, width: 384, height: 384,
                                         outputToSource: registration.referenceToScience)
        // Pixels that sampled outside the science frame say so.
        #expect(aligned.mask.count(of: .noData) > 384 * 10)
        var offsets: [Double] = [], ratios: [Double] = []
        for t in reference.truth where t.flux > 30_000 && t.x > 40 && t.x < 344 && t.y > 40 && t.y < 344 {
            guard let c = WindowedCentroid.refine(aligned.image, start: PixelPoint(x: t.x, y: t.y), sigma: 1.4) else {
                continue
            }
            offsets.append(hypot(c.x - t.x, c.y - t.y))
            // Same aperture on both images, so neighbours contribute equally.
            let flux = ApertureFlux.measure(aligned.image, rms: science.rms, mask: nil, center: c, radius: 12).flux
            let expected = ApertureFlux.measure(reference.image, rms: reference.rms, mask: nil,
                                                center: PixelPoint(x: t.x, y: t.y), radius: 12).flux
            ratios.append(flux / expected)
        }
        offsets.sort()
        ratios.sort()
        #expect(offsets.count > 15)
        #expect(offsets[offsets.count / 2] < 0.05, "median offset \(offsets[offsets.count / 2]) px")
        // Rotation keeps pixel area, so resampling must keep flux; the wider
        // science PSF loses ~1% more outside 12 px.
        let median = ratios[ratios.count / 2]
        #expect(abs(median - 0.99) < 0.015, "median flux ratio \(median)")
    }
}
