import Foundation
import Scoring

/// A population the baseline does not contain, made from ordinary
/// candidates at the feature level: the check that the anomaly model flags
/// what it has never seen while leaving the ordinary alone.
///
/// Each kind rewrites a real candidate's difference stamp and the measured
/// features that stamp would have given:
/// - `ring`: a ring residual of radius 7 px (σ 1 px), as a badly
///   convolved donut or a light echo would leave; FWHM ratio 3.5.
/// - `broad`: a round residual of σ 7 px, five times wider than the PSF, as
///   a diffuse nebular flare or a light echo might leave; FWHM ratio 5.
/// - `bright`: the same candidate 300 times brighter (S/N and S_corr × 300),
///   far beyond any baseline transient.
public enum AnomalyInjection {
    /// The kinds of injected anomaly.
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case ring, broad, bright
    }

    /// `base` turned into an anomaly of `kind`.
    public static func inject(_ base: CandidateInput, kind: Kind) -> CandidateInput {
        var c = base
        let side = 63, centre = Double(side / 2)
        let peak = Float(max(abs(base.snr), 10))
        switch kind {
        case .ring:
            c.stamp = pixels(side) { x, y in
                let r = ((x - centre) * (x - centre) + (y - centre) * (y - centre)).squareRoot()
                return exp(-(r - 7) * (r - 7) / 2)
            }.map { $0 * peak }
            c.fwhmRatio = 3.5; c.elong = 1.1; c.aimagerat = 1.4; c.bimagerat = 1.3; c.sumrat = 1
        case .broad:
            c.stamp = pixels(side) { x, y in
                exp(-((x - centre) * (x - centre) + (y - centre) * (y - centre)) / (2 * 49))
            }.map { $0 * peak }
            c.fwhmRatio = 5; c.elong = 1.05; c.aimagerat = 2.2; c.bimagerat = 2.1; c.sumrat = 1
        case .bright:
            c.snr *= 300; c.scorr *= 300
        }
        if kind != .bright { c.stampSide = side }
        return c
    }

    private static func pixels(_ side: Int, _ f: (Double, Double) -> Double) -> [Float] {
        (0..<(side * side)).map { Float(f(Double($0 % side), Double($0 / side))) }
    }

    /// The share of each injected kind, and of the ordinary candidates, that
    /// the model scores as anomalies of severity high or above, and which
    /// score (distance, forest, range) was the largest for the ordinary ones
    /// that were.
    public static func check(_ model: AnomalyModel, ordinary: [CandidateInput], seeds: [CandidateInput])
        -> (injected: [Kind: ScoringEvaluation.Fraction], ordinary: ScoringEvaluation.Fraction, ordinaryBy: [String: Int]) {
        func high(_ c: CandidateInput) -> Bool { (model.assess(FeatureVector.values(c)).severity ?? .low) >= .high }
        var injected: [Kind: ScoringEvaluation.Fraction] = [:]
        for kind in Kind.allCases {
            let flagged = seeds.filter { high(inject($0, kind: kind)) }.count
            injected[kind] = ScoringEvaluation.Fraction(found: flagged, total: seeds.count)
        }
        var by: [String: Int] = [:]
        for c in ordinary {
            let a = model.assess(FeatureVector.values(c))
            guard (a.severity ?? .low) >= .high else { continue }
            let which = a.ratio == a.distanceRatio ? "distance" : a.ratio == a.forestRatio ? "forest" : "range"
            by[which, default: 0] += 1
        }
        return (injected, ScoringEvaluation.Fraction(found: by.values.reduce(0, +), total: ordinary.count), by)
    }
}
