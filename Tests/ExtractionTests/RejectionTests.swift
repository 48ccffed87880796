import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// Peaks on masked pixels never become candidates, and each is counted
/// under its cause.
@Suite struct RejectionTests {
    /// A synthetic S_corr: Gaussian blobs of the given peak σ on zero.
    static func significance(_ blobs: [(x: Int, y: Int, peak: Float)], size: Int = 96) -> Image<Float> {
        var image = Image<Float>(width: size, height: size, repeating: 0)
        for blob in blobs {
            for y in max(0, blob.y - 8)...min(size - 1, blob.y + 8) {
                for x in max(0, blob.x - 8)...min(size - 1, blob.x + 8) {
                    let r2 = Float((x - blob.x) * (x - blob.x) + (y - blob.y) * (y - blob.y))
                    image[x, y] += blob.peak * exp(-r2 / (2 * 2.5 * 2.5))
                }
            }
        }
        return image
    }

    @Test func eachCauseIsCountedOnce() {
        var scorr = Self.significance([(20, 20, 30), (60, 20, 30), (20, 60, -30), (60, 60, 30), (80, 80, 30),
                                       (84, 20, 30)])
        scorr[40, 40] = 8 // a single hot pixel: below the minimum area
        var mask = Image<MaskBits>.good(width: 96, height: 96)
        mask[20, 20] = [.saturated, .edge]  // saturated wins over edge
        mask[60, 20] = .trail
        mask[20, 60] = [.edge, .interpolated]
        mask[60, 60] = .bad                 // unrepaired: subtraction zeroed it
        mask[84, 20] = .nearDefect          // the ring around a saturated core
        let (peaks, rejections) = PeakDetection.find(in: scorr, mask: mask, psfFWHM: 3,
                                                     parameters: ExtractionParameters())
        #expect(peaks.map { [$0.x, $0.y] } == [[80, 80]])
        #expect(rejections.saturated == 1 && rejections.trail == 1 && rejections.edge == 1)
        #expect(rejections.otherMask == 1 && rejections.belowMinimumArea == 1 && rejections.noData == 0)
        #expect(rejections.nearDefect == 1)
        #expect(rejections.total == 6)
    }

    @Test func aRepairedPixelDoesNotRejectUnlessAsked() {
        let scorr = Self.significance([(40, 40, 20)])
        var mask = Image<MaskBits>.good(width: 96, height: 96)
        mask[40, 40] = [.cosmicRay, .interpolated]
        var parameters = ExtractionParameters()
        #expect(PeakDetection.find(in: scorr, mask: mask, psfFWHM: 3, parameters: parameters).peaks.count == 1)
        parameters.rejectedMaskBits.insert(.interpolated)
        let (peaks, rejections) = PeakDetection.find(in: scorr, mask: mask, psfFWHM: 3, parameters: parameters)
        #expect(peaks.isEmpty && rejections.otherMask == 1)
    }

    @Test func transientsOnSaturatedOrEdgeZonesAreDropped() throws {
        let saturatedAt: Source = (x: 128, y: 128, flux: 60_000)
        let edgeAt: Source = (x: 7, y: 180, flux: 30_000)
        let scene = try Scene(starCount: 30, seed: 21, newOnly: [saturatedAt, edgeAt]) { new, _ in
            for y in 126...130 { for x in 126...130 { new[x, y] = .saturated } }
        }
        let output = scene.extract()
        let r = output.rejections
        for source in [saturatedAt, edgeAt] {
            #expect(!output.candidates.contains { hypot($0.position.x - source.x, $0.position.y - source.y) < 16 })
        }
        #expect(r.saturated + r.nearDefect >= 1, "the transient on the saturated core: \(r)")
        #expect(r.edge >= 1)
        // The same scene without the edge rejection finds the edge transient.
        var parameters = ExtractionParameters()
        parameters.rejectedMaskBits.remove(.edge)
        let relaxed = scene.extract(parameters: parameters)
        let found = try #require(nearest(relaxed.candidates, to: edgeAt.x, edgeAt.y))
        #expect(found.distance < 1)
        #expect(found.candidate.flags.contains(.edge) && found.candidate.flags.contains(.badPixels))
        #expect(abs(found.candidate.features.edgeDistance - (edgeAt.x + 1)) < 1)
    }
}
