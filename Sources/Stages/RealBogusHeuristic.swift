import Extraction
import Foundation
import Store

/// The stand-in real/bogus score, used only while no classifier is active:
/// a logistic in |S/N| (½ at 6σ), multiplied
/// down by the signs of a bogus candidate that ZTF's features capture:
/// bad, edge or saturated pixels (×0.3), more than 2 bad pixels in the 5×5
/// box (×0.5), a low sumrat (×0.5), a dipole (×0.4), a streak (×0.5), and a
/// profile much sharper than the PSF, as a cosmic ray's is (×0.3).
enum RealBogusHeuristic {
    static let name = "rb-heuristic"

    static func confidence(_ c: CandidateRecord) -> Double {
        var p = 1 / (1 + exp(-(abs(c.snr) - 6)))
        let flags = CandidateFlags(rawValue: c.flags)
        if !flags.isDisjoint(with: [.badPixels, .edge, .saturated]) { p *= 0.3 }
        if c.nbad > 2 { p *= 0.5 }
        if let s = c.sumrat, s < 0.6 { p *= 0.5 }
        if let d = c.dipole, d > 0.5 { p *= 0.4 }
        if let e = c.elongation, e > 2.5 { p *= 0.5 }
        if let r = JSONText.decode(c.features).optionalDouble("fwhm_ratio"), r < 0.5 { p *= 0.3 }
        return min(max(p, 0), 1)
    }

    /// The heuristic's `models` row, registered on first use.
    static func registered(store: PipelineStore, createdBy: String) throws -> (id: UUID, version: Int) {
        // Registered inactive: it names the detections it made, but the
        // active real_bogus model is always a trained one.
        func existing() throws -> (id: UUID, version: Int)? {
            try store.models(kind: "real_bogus").first { $0.name == name }.map { ($0.id, $0.version) }
        }
        if let found = try existing() { return found }
        let parameters = JSONText.encode(["method": "heuristic", "snr_midpoint": 6])
        do {
            return try store.saveModel(name: name, kind: "real_bogus", parameters: parameters, metrics: "{}",
                                       training: "{}", artifact: Data(parameters.utf8), createdBy: createdBy,
                                       activate: false)
        } catch {
            guard let found = try existing() else { throw error }  // another instance registered it first
            return found
        }
    }
}
