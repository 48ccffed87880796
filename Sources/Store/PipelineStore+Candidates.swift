import Database
import Foundation

extension PipelineStore {
    static let candidateColumns = [
        "id", "run_id", "observation_id", "difference_run_id", "candidate_index", "x", "y", "ra", "dec", "flux",
        "flux_err", "snr", "mag", "mag_err", "fwhm", "elong", "ellipticity", "theta_deg", "scorr", "is_positive",
        "flags", "nneg", "nbad", "sumrat", "magdiff", "dipole", "distnr", "magnr", "features", "stamp_size",
        "stamp_science", "stamp_reference", "stamp_difference",
    ]

    /// Replaces a difference run's candidates (delete, then COPY): redoing an
    /// extraction leaves exactly one set.
    public func replaceCandidates(_ rows: [CandidateRecord], differenceRunID: UUID, runID: UUID, observationID: UUID) throws {
        try connection.execute("DELETE FROM candidates WHERE difference_run_id = $1", [differenceRunID])
        guard !rows.isEmpty else { return }
        _ = try connection.copy(into: "candidates", columns: Self.candidateColumns, rows: rows.lazy.map { c in
            let values: [(any PostgresEncodable)?] = [
                c.id, runID, observationID, differenceRunID, c.candidateIndex, c.x, c.y, c.ra, c.dec, c.flux,
                c.fluxError, c.snr, c.mag, c.magError, c.fwhm, c.elongation, c.ellipticity, c.thetaDegrees, c.scorr,
                c.isPositive, c.flags, c.nneg, c.nbad, c.sumrat, c.magdiff, c.dipole, c.distnr, c.magnr,
                JSONB(raw: c.features), c.stampSize, c.stampScience, c.stampReference, c.stampDifference,
            ]
            return values
        })
        try connection.execute("UPDATE difference_runs SET n_candidates = $2 WHERE id = $1", [differenceRunID, rows.count])
    }

    /// An observation's candidates in a run, in index order; stamps only
    /// when asked (they are the bulk of a row).
    public func candidates(runID: UUID, observationID: UUID, stamps: StampSelection = .none) throws -> [CandidateRecord] {
        try connection.query(
            """
            SELECT id, candidate_index, x, y, ra, dec, flux, flux_err, snr, mag, mag_err, fwhm, elong, ellipticity, theta_deg,
                   scorr, is_positive, flags, nneg, nbad, sumrat, magdiff, dipole, distnr, magnr, features::text AS features,
                   stamp_size, \(stamps.columns)
            FROM candidates WHERE run_id = $1 AND observation_id = $2 ORDER BY candidate_index
            """, [runID, observationID]).map(Self.decodeCandidate)
    }

    /// Candidates by id (any run), in the order asked, with their difference
    /// stamps; ids not found are left out.
    public func candidates(ids: [UUID], stamps: StampSelection = .difference) throws -> [CandidateRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try connection.query(
            """
            SELECT \(Self.selectColumns), \(stamps.columns)
            FROM candidates WHERE id = ANY($1::uuid[])
            """, ["{" + ids.map(\.uuidString).joined(separator: ",") + "}"]).map(Self.decodeCandidate)
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    /// The scalar columns of a candidate row, for SELECT lists.
    static let selectColumns = """
        id, candidate_index, x, y, ra, dec, flux, flux_err, snr, mag, mag_err, fwhm, elong, ellipticity, theta_deg,
        scorr, is_positive, flags, nneg, nbad, sumrat, magdiff, dipole, distnr, magnr, features::text AS features, stamp_size
        """

    static func decodeCandidate(_ r: DatabaseRow) throws -> CandidateRecord {
        CandidateRecord(
            id: try r.decode(UUID.self, "id"), candidateIndex: try r.decode(Int.self, "candidate_index"),
            x: try r.decode(Double.self, "x"), y: try r.decode(Double.self, "y"), ra: try r.decode(Double.self, "ra"),
            dec: try r.decode(Double.self, "dec"), flux: try r.decodeIfPresent(Double.self, "flux") ?? .nan,
            fluxError: try r.decodeIfPresent(Double.self, "flux_err") ?? .nan, snr: try r.decodeIfPresent(Double.self, "snr") ?? 0,
            mag: try r.decodeIfPresent(Double.self, "mag"), magError: try r.decodeIfPresent(Double.self, "mag_err"),
            fwhm: try r.decodeIfPresent(Double.self, "fwhm"), elongation: try r.decodeIfPresent(Double.self, "elong"),
            ellipticity: try r.decodeIfPresent(Double.self, "ellipticity"),
            thetaDegrees: try r.decodeIfPresent(Double.self, "theta_deg"), scorr: try r.decodeIfPresent(Double.self, "scorr") ?? 0,
            isPositive: try r.decode(Bool.self, "is_positive"), flags: try r.decode(Int.self, "flags"),
            nneg: try r.decodeIfPresent(Int.self, "nneg") ?? 0, nbad: try r.decodeIfPresent(Int.self, "nbad") ?? 0,
            sumrat: try r.decodeIfPresent(Double.self, "sumrat"), magdiff: try r.decodeIfPresent(Double.self, "magdiff"),
            dipole: try r.decodeIfPresent(Double.self, "dipole"), distnr: try r.decodeIfPresent(Double.self, "distnr"),
            magnr: try r.decodeIfPresent(Double.self, "magnr"), features: try r.decodeIfPresent(String.self, "features") ?? "{}",
            stampSize: try r.decodeIfPresent(Int.self, "stamp_size") ?? 0,
            stampScience: try r.decodeIfPresent(Data.self, "stamp_science") ?? Data(),
            stampReference: try r.decodeIfPresent(Data.self, "stamp_reference") ?? Data(),
            stampDifference: try r.decodeIfPresent(Data.self, "stamp_difference") ?? Data())
    }
}

/// Which stamps a candidate query brings back: they are most of a row.
public enum StampSelection: Sendable {
    case none, difference, all

    /// The SELECT list's stamp columns.
    var columns: String {
        switch self {
        case .none: "NULL::bytea AS stamp_science, NULL::bytea AS stamp_reference, NULL::bytea AS stamp_difference"
        case .difference: "NULL::bytea AS stamp_science, NULL::bytea AS stamp_reference, stamp_difference"
        case .all: "stamp_science, stamp_reference, stamp_difference"
        }
    }
}
