import Foundation
import Learning
import Testing

@testable import Scoring
@testable import Training

@Suite("Anomaly model")
struct AnomalyModelTests {
    static let baseline = SyntheticCandidates.population(400, seed: 21)

    static func fitted() throws -> (AnomalyModel, AnomalyModel.FitReport) {
        var parameters = DInsightParameters()
        parameters.imax = 200
        let vectors = baseline.map(FeatureVector.values)
        let ids = vectors.indices.map { i in UUID(uuidString: String(format: "00000000-0000-8000-8000-%012d", i))! }
        return try AnomalyModel.fit(vectors: vectors, ids: ids, parameters: parameters, quantile: 0.99, k: 10)
    }

    @Test("ordinary candidates stay below high; rings, streaks and very bright ones reach high or above")
    func injected() throws {
        let (model, report) = try Self.fitted()
        #expect(report.mapPoints == 200 && report.calibration == 200)
        let ordinary = SyntheticCandidates.population(300, seed: 22)
        let seeds = Array(ordinary.prefix(60))
        let check = AnomalyInjection.check(model, ordinary: ordinary, seeds: seeds)
        #expect(check.ordinary.value < 0.02)
        for kind in AnomalyInjection.Kind.allCases {
            let share = check.injected[kind]!.value
            #expect(share >= 0.9, "injected \(kind.rawValue): \(share)")
        }
    }

    @Test("an anomaly says why: top features, analogs from the baseline, coordinates in the map")
    func reasons() throws {
        let (model, _) = try Self.fitted()
        let ring = AnomalyInjection.inject(Self.baseline[0], kind: .ring)
        let a = model.assess(FeatureVector.values(ring))
        #expect(a.severity != nil)
        #expect(a.analogs.count == 10 && Set(a.analogs).isSubset(of: Set(model.baselineIDs)))
        #expect(a.coords.count == 2)
        #expect(!a.topFeatures.isEmpty)
    }

    @Test("the same model and input give the same embedding and scores, bit for bit; refits are identical")
    func determinism() throws {
        let (a, _) = try Self.fitted(), (b, _) = try Self.fitted()
        let identical = try ModelCoding.encode(a) == ModelCoding.encode(b)
        #expect(identical)
        for c in SyntheticCandidates.population(50, seed: 23) {
            let v = FeatureVector.values(c)
            let (x, y) = (a.assess(v), b.assess(v))
            #expect(x.coords.map(\.bitPattern) == y.coords.map(\.bitPattern))
            #expect(x.ratio.bitPattern == y.ratio.bitPattern && x.forestScore.bitPattern == y.forestScore.bitPattern)
        }
    }
}
