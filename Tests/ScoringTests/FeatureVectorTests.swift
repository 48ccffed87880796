import Foundation
import Learning
import Testing

@testable import Scoring

@Suite("Feature vector")
struct FeatureVectorTests {
    @Test("22 measured features then f_0…f_1023, all finite even when nothing was measured")
    func columns() {
        #expect(FeatureVector.names.count == 22 + 1024)
        #expect(FeatureVector.stampNames.first == "f_0" && FeatureVector.stampNames.last == "f_1023")
        let blank = CandidateInput(
            snr: .nan, fwhmRatio: .nan, elong: .nan, nneg: 0, nbad: 0, sumrat: .nan, magdiff: .nan, scorr: .nan,
            dipole: .nan, distnr: .nan, magnr: .nan, sizenr: .nan, edgeDistance: .nan, aimagerat: .nan, bimagerat: .nan,
            isPositive: true, flags: 0, stamp: [], stampSide: 0)
        let v = FeatureVector.values(blank)
        #expect(v.count == FeatureVector.names.count)
        #expect(v.allSatisfy { $0.isFinite })
        let named = Dictionary(uniqueKeysWithValues: zip(FeatureVector.measuredNames, v))
        #expect(named["distnr"] == 30 && named["magnr"] == 25 && named["edge_distance"] == 100)
    }

    @Test("the stamp is the central 32×32, sign-adjusted, with unit rms")
    func stamp() {
        var pixels = [Float](repeating: 0, count: 63 * 63)
        pixels[31 * 63 + 31] = -4  // the candidate's own pixel
        pixels[31 * 63 + 32] = -2
        pixels[0] = 1000  // outside the central 32×32: ignored
        var rng = SplitMix64(seed: 1)
        var c = SyntheticCandidates.ordinary(&rng)
        c.stamp = pixels
        c.isPositive = false
        let f = FeatureVector.stamp(c)
        #expect(f.count == 1024)
        let rms = (f.reduce(0) { $0 + $1 * $1 } / 1024).squareRoot()
        #expect(abs(rms - 1) < 1e-12)
        #expect(f[16 * 32 + 16] > 0 && abs(f[16 * 32 + 16] / f[16 * 32 + 17] - 2) < 1e-12)
        #expect(f.filter { $0 != 0 }.count == 2)
    }

    @Test("stamp shape: a point source is concentrated and symmetric, a one-sided streak is not")
    func shape() {
        var rng = SplitMix64(seed: 3)
        var point = SyntheticCandidates.ordinary(&rng)
        point.isPositive = true
        let p = FeatureVector.measured(point)
        var streak = point
        streak.stamp = (0..<(63 * 63)).map { i in
            let x = i % 63 - 31, y = i / 63 - 31
            return (abs(y) <= 1 && x >= 0 && x < 14) ? 10 : 0
        }
        let s = FeatureVector.measured(streak)
        let concentration = FeatureVector.measuredNames.firstIndex(of: "stamp_concentration")!
        let asymmetry = FeatureVector.measuredNames.firstIndex(of: "stamp_asymmetry")!
        #expect(p[concentration] > s[concentration])
        #expect(p[asymmetry] < 0.3 && s[asymmetry] > 0.6)
    }
}

@Suite("Detection types and severities")
struct TypingTests {
    func candidate(distnr: Double, sizenr: Double, positive: Bool = true) -> CandidateInput {
        var rng = SplitMix64(seed: 9)
        var c = SyntheticCandidates.ordinary(&rng)
        c.distnr = distnr
        c.sizenr = sizenr
        c.isPositive = positive
        return c
    }

    @Test("artifact, supernova_like, variable, moving, transient, unknown")
    func rules() {
        let rules = TypingRules()
        func type(_ c: CandidateInput, confidence: Double = 0.9, artifact: Double = 0.1, seen: Bool = true) -> DetectionType {
            rules.type(c, confidence: confidence, artifact: artifact, threshold: 0.5, seenElsewhere: seen)
        }
        #expect(type(candidate(distnr: 0.3, sizenr: 1), artifact: 0.8) == .artifact)
        #expect(type(candidate(distnr: 4, sizenr: 2.5)) == .supernovaLike)
        #expect(type(candidate(distnr: 0.2, sizenr: 2.5)) == .variable)  // nuclear
        #expect(type(candidate(distnr: 0.7, sizenr: 1.0)) == .variable)
        #expect(type(candidate(distnr: 3, sizenr: 1.0, positive: false)) == .variable)
        #expect(type(candidate(distnr: 3, sizenr: 1.0)) == .transient)
        #expect(type(candidate(distnr: .nan, sizenr: .nan), seen: false) == .moving)
        #expect(type(candidate(distnr: .nan, sizenr: .nan), seen: true) == .transient)
        #expect(type(candidate(distnr: .nan, sizenr: .nan), confidence: 0.2) == .unknown)
    }

    @Test("severity bands from the ratio to the threshold")
    func severity() {
        #expect(Severity.of(ratio: 0.99) == nil)
        #expect(Severity.of(ratio: 1) == .low)
        #expect(Severity.of(ratio: 1.7) == .medium)
        #expect(Severity.of(ratio: 2.5) == .high)
        #expect(Severity.of(ratio: 3) == .critical)
        #expect(Severity.of(ratio: .infinity) == .critical)
        #expect(Severity.of(ratio: .nan) == nil)
        #expect(Severity.high > .medium && Severity.critical > .high)
    }
}
