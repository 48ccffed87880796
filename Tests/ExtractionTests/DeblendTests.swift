import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// Close sources share an S_corr segment; deblending must split real pairs
/// and keep one source whole.
@Suite struct DeblendTests {
    @Test func twoCloseTransientsGiveTwoBlendedCandidates() throws {
        // 9.7 px apart: about 2.5 FWHM of P_D (checked below).
        let a: Source = (x: 120, y: 128, flux: 15_000), b: Source = (x: 129.7, y: 128, flux: 9_000)
        let lone: Source = (x: 60, y: 200, flux: 15_000)
        let scene = try Scene(starCount: 0, seed: 51, newOnly: [a, b, lone])
        let output = scene.extract()
        let separation = (b.x - a.x) / output.differencePSFFWHM
        #expect(separation > 2.2 && separation < 2.8, "separation \(separation) FWHM")
        let pair = output.candidates.filter {
            abs($0.position.y - 128) < 3 && $0.position.x > 110 && $0.position.x < 140
        }
        #expect(pair.count == 2)
        for source in [a, b] {
            let found = try #require(nearest(pair, to: source.x, source.y))
            #expect(found.distance < 0.5)
            #expect(found.candidate.flags.contains(.blended))
        }
        let single = try #require(nearest(output.candidates, to: lone.x, lone.y)).candidate
        #expect(!single.flags.contains(.blended))
        #expect(output.candidates.count == 3, "\(output.candidates.map(\.position))")
    }

    @Test func peaksWithinOneFWHMMerge() {
        // Two maxima 3 px apart with a shallow saddle: one source at FWHM 4,
        // two at FWHM 2.
        var image = Image<Float>(width: 40, height: 40, repeating: 0)
        for y in 0..<40 {
            for x in 0..<40 {
                let d1 = Float((x - 18) * (x - 18) + (y - 20) * (y - 20))
                let d2 = Float((x - 21) * (x - 21) + (y - 20) * (y - 20))
                image[x, y] = 40 * exp(-d1 / 2) + 30 * exp(-d2 / 2)
            }
        }
        let segment = Segmentation.segments(in: image, threshold: 5, minimumArea: 1)
        #expect(segment.count == 1)
        let maxima = PeakDetection.localMaxima(image, segment: segment[0])
        #expect(maxima.count == 2)
        #expect(PeakDetection.deblend(image, maxima: maxima, mergeRadius: 4, minimumDip: 1).count == 1)
        #expect(PeakDetection.deblend(image, maxima: maxima, mergeRadius: 2, minimumDip: 1).count == 2)
        // A bump that barely dips below its own height is part of the wing.
        #expect(PeakDetection.deblend(image, maxima: maxima, mergeRadius: 2, minimumDip: 40).count == 1)
    }
}
