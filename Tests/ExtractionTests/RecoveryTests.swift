import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// Injected transients must come back where they were put, with fluxes whose
/// errors are honest.
@Suite struct RecoveryTests {
    /// 64 transients on a jittered 8×8 grid over a 384² field of 200 stars:
    /// never overlapping each other, often on or near stars.
    static func transients() -> [Source] {
        var random = SeededRandom(seed: 41)
        var sources: [Source] = []
        for gy in 0..<8 {
            for gx in 0..<8 {
                sources.append((x: 32 + Double(gx) * 45 + random.uniform(-4, 4),
                                y: 32 + Double(gy) * 45 + random.uniform(-4, 4),
                                flux: random.uniform(3_000, 10_000)))
            }
        }
        return sources
    }

    /// Shared by the tests of this suite: one subtraction, built once.
    static let scene = try! Scene(size: 384, starCount: 200, seed: 5, newOnly: transients())

    @Test func injectedTransientsAreRecoveredWithHonestErrors() {
        let injected = Self.transients()
        let output = Self.scene.extract()
        var offsets: [Double] = [], pulls: [Double] = []
        for source in injected {
            guard let (candidate, distance) = nearest(output.candidates.filter(\.isPositive), to: source.x, source.y),
                  distance < 2 else {
                Issue.record("transient at (\(source.x), \(source.y)) not recovered")
                continue
            }
            offsets.append(distance)
            pulls.append((candidate.flux - source.flux) / candidate.fluxError)
            #expect(candidate.snr == candidate.flux / candidate.fluxError)
            #expect(!candidate.flags.contains(.negative))
        }
        let (mean, std) = meanAndSpread(pulls)
        let unmatched = output.candidates.count - offsets.count
        print("recovery: \(offsets.count)/\(injected.count), \(unmatched) other candidates, "
              + "median offset \(median(offsets)) px, max \(offsets.max() ?? .nan) px, pull mean \(mean), width \(std)")
        #expect(offsets.count == injected.count)
        // A null subtraction has nothing beyond 5σ (ZOGYTests), so nothing else
        // should be found.
        #expect(unmatched <= 1)
        #expect(offsets.allSatisfy { $0 < 0.3 }, "worst offset \(offsets.max() ?? .nan) px")
        #expect(median(offsets) < 0.12, "median offset \(median(offsets)) px")
        #expect(abs(mean) < 0.3, "pull mean \(mean)")
        #expect(abs(std - 1) < 0.2, "pull width \(std)")
    }

    @Test func pointSourcesMeasureAsTheDifferencePSF() {
        let output = Self.scene.extract()
        let bright = output.candidates.filter { $0.isPositive && $0.snr > 25 }
        #expect(bright.count > 20)
        let ratios = bright.map(\.features.fwhmRatio), magdiffs = bright.map(\.features.magdiff)
        print("point sources: median fwhmRatio \(median(ratios)), median magdiff \(median(magdiffs)), "
              + "P_D FWHM \(output.differencePSFFWHM)")
        #expect(abs(median(ratios) - 1) < 0.1)
        #expect(abs(median(magdiffs)) < 0.05)
    }
}
