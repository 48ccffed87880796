import Foundation
import Store

/// The first version of a candidate's feature vector: the measured
/// real/bogus features, each mapped to a scale where a Euclidean distance
/// means something (logs for fluxes, caps for distances). A feature that
/// was not measured takes the value that means "nothing there" (no
/// reference source → the search radius). `docs/stages.md` lists them.
enum FeatureVector {
    /// Column names, in order.
    static let names = [
        "log_snr", "fwhm_ratio", "elong", "nneg", "nbad", "sumrat", "magdiff", "log_abs_scorr", "dipole", "distnr",
        "magnr", "edge_distance", "is_positive",
    ]

    /// The vector of one candidate.
    static func values(_ c: CandidateRecord) -> [Double] {
        let extra = JSONText.decode(c.features)
        func or(_ v: Double?, _ fallback: Double) -> Double { (v?.isFinite ?? false) ? v! : fallback }
        return [
            log10(max(abs(c.snr), 1)),
            min(or(extra.optionalDouble("fwhm_ratio"), 1), 5),
            min(or(c.elongation, 1), 5),
            Double(c.nneg),
            Double(c.nbad),
            or(c.sumrat, 0),
            max(min(or(c.magdiff, 0), 3), -3),
            log10(max(abs(c.scorr), 1)),
            or(c.dipole, 0),
            min(or(c.distnr, 30), 30),
            min(max(or(c.magnr, 25), 10), 25),
            min(or(extra.optionalDouble("edge_distance"), 100), 100),
            c.isPositive ? 1 : 0,
        ]
    }
}
