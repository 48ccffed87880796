import Foundation
import Imaging
import Testing
@testable import Evaluation
@testable import Extraction

/// The scorer's rules, on hand-made candidates and truth.
@Suite struct ScorerTests {
    static func candidate(_ x: Double, _ y: Double, flux: Double, error: Double = 100) -> Candidate {
        let empty = Image<Float>(width: 1, height: 1, repeating: 0)
        let features = CandidateFeatures(nneg: 0, nbad: 0, sumrat: 1, magdiff: 0, elong: 1, scorr: flux / error,
                                         dipole: 0, distnr: .nan, magnr: .nan, edgeDistance: 100, aimagerat: 0.4,
                                         bimagerat: 0.4, fwhmRatio: 1)
        return Candidate(index: 0, position: PixelPoint(x: x, y: y), peakX: Int(x), peakY: Int(y), ra: 0, dec: 0,
                         flux: flux, fluxError: error, snr: flux / error, mag: .nan, magError: .nan, scorr: flux / error,
                         isPositive: flux > 0, fwhm: 2.5, elongation: 1, ellipticity: 0, thetaDegrees: 0, flags: [],
                         features: features,
                         stamps: CandidateStamps(science: empty, reference: empty, difference: empty, originX: 0, originY: 0))
    }

    static func truth(_ id: String, _ kind: String, _ x: Double, _ y: Double, delta: Double, snr: Double?,
                      line: (PixelPoint, PixelPoint)? = nil) -> NightTruth.Entry {
        NightTruth.Entry(image: "science/F.fits", field: "F", objectID: id, kind: kind, position: PixelPoint(x: x, y: y),
                         referencePosition: PixelPoint(x: x, y: y), delta: delta, expectedSNR: snr, line: line)
    }

    @Test func matchesBySignAndDistanceAndExplainsTheRest() {
        let candidates = [
            Self.candidate(100.4, 100.2, flux: 5_000),     // the transient
            Self.candidate(200, 200, flux: -3_000),        // the fading variable
            Self.candidate(300, 300, flux: 2_000),         // a cosmic ray
            Self.candidate(400, 50, flux: 1_500),          // on the bad column
            Self.candidate(40, 400, flux: 1_000),          // nothing near
        ]
        let truth = [
            Self.truth("T1", "transient", 100, 100, delta: 5_100, snr: 50),
            Self.truth("V1", "variable", 200.5, 200, delta: -3_100, snr: 30),
            Self.truth("V2", "variable", 150, 150, delta: 4_000, snr: 20),  // nothing found there
            Self.truth("CR", "cosmic_ray", 300, 300.5, delta: 0, snr: nil),
            Self.truth("BC", "bad_column", 400, 0, delta: 0, snr: nil,
                       line: (PixelPoint(x: 400, y: 0), PixelPoint(x: 400, y: 511))),
        ]
        let score = Scorer.score(candidates: candidates, image: "science/F.fits", truth: truth, sources: [],
                                 referenceToScience: .identity, seeing: 2.5)
        #expect(score.matches.map(\.truth.objectID).sorted() == ["T1", "V1"])
        #expect(score.missed.map(\.objectID) == ["V2"])
        let causes = score.falseCandidates.map(\.cause)
        #expect(causes.sorted { $0.rawValue < $1.rawValue } == [.badColumn, .cosmicRay, .unexplained])
        let t1 = score.matches.first { $0.truth.objectID == "T1" }!
        #expect(abs(t1.pull - (5_000 - 5_100) / 100) < 1e-9)
        #expect(abs(t1.offset - (0.4 * 0.4 + 0.2 * 0.2).squareRoot()) < 1e-9)
    }

    @Test func aBlendFindsBothAndStaysOutOfThePulls() {
        let candidates = [Self.candidate(100, 100, flux: 9_000)]
        let truth = [Self.truth("T1", "transient", 100.5, 100, delta: 5_000, snr: 40),
                     Self.truth("V1", "variable", 98.8, 100.4, delta: 4_000, snr: 35)]
        let score = Scorer.score(candidates: candidates, image: "science/F.fits", truth: truth, sources: [],
                                 referenceToScience: .identity, seeing: 2.5)
        #expect(score.matches.count == 2)
        #expect(score.matches.allSatisfy { $0.isBlend })
        #expect(score.falseCandidates.isEmpty)
        #expect(NightScore(images: [score]).pulls.count == 0)
        #expect(NightScore(images: [score]).blends == 2)
    }

    @Test func changesOutsideTheFootprintCountNeitherWay() {
        let truth = [Self.truth("T1", "transient", 5, 5, delta: 5_000, snr: 40),
                     Self.truth("T2", "transient", 200, 200, delta: 5_000, snr: 40)]
        let score = Scorer.score(candidates: [], image: "science/F.fits", truth: truth, sources: [],
                                 referenceToScience: .identity, seeing: 2.5) { $0.x > 20 && $0.y > 20 }
        #expect(score.outsideFootprint.map(\.objectID) == ["T1"])
        #expect(score.missed.map(\.objectID) == ["T2"])
        let night = NightScore(images: [score])
        #expect(night.completeness(["transient"], atLeast: 10) == (0, 1))
    }

    @Test func completenessBinsFollowExpectedSNR() {
        #expect(NightScore.bin(2.9) == nil)
        #expect(NightScore.bin(3) == 0)
        #expect(NightScore.bin(9.99) == 1)
        #expect(NightScore.bin(10) == 2)
        #expect(NightScore.bin(1_000) == NightScore.binEdges.count - 1)
    }
}
