import Database
import Foundation

/// The parent rows a candidate needs (survey, run, observation, difference
/// run), inserted into a test database with the real schema.
struct Lineage {
    let survey: UUID
    let run: UUID
    let observation: UUID
    let differenceRun: UUID

    /// Inserts one of each; `survey` names the survey so tests can add more.
    static func insert(_ db: DatabaseConnection, survey name: String = "test-survey") throws -> Lineage {
        let survey = try db.query(
            "INSERT INTO surveys (name, telescope) VALUES ($1, 'LT') RETURNING id", [name]
        )[0].decode(UUID.self, "id")
        let run = try db.query(
            "INSERT INTO runs (kind, code_version) VALUES ('replay', 'test') RETURNING id"
        )[0].decode(UUID.self, "id")
        let observation = try insertObservation(db, run: run, survey: survey, key: "obs-0001")
        let differenceRun = try db.query(
            """
            INSERT INTO difference_runs (run_id, observation_id, detection_threshold)
            VALUES ($1, $2, 5.0) RETURNING id
            """, [run, observation]
        )[0].decode(UUID.self, "id")
        return Lineage(survey: survey, run: run, observation: observation, differenceRun: differenceRun)
    }

    /// Inserts an observation with plausible values, overriding `exptime` if given.
    static func insertObservation(
        _ db: DatabaseConnection, run: UUID, survey: UUID, key: String, exptime: Double = 30
    ) throws -> UUID {
        try db.query(
            """
            INSERT INTO observations (run_id, survey_id, observation_key, date_obs, exptime, ra, dec,
                naxis1, naxis2, file_path, file_sha256, header)
            VALUES ($1, $2, $3, $4, $5, 150.1, 2.2, 1024, 1024, '/data/x.fits', $6, $7)
            RETURNING id
            """,
            [run, survey, key, Date(timeIntervalSince1970: 1_598_823_419.101), exptime,
             String(repeating: "ab", count: 32), JSONB(raw: #"{"OBJECT": "LHS 3250"}"#)]
        )[0].decode(UUID.self, "id")
    }

    /// The columns `candidateValues` fills, in order.
    static let candidateColumns = [
        "run_id", "observation_id", "difference_run_id", "candidate_index", "x", "y", "ra", "dec",
        "flux", "snr", "fwhm", "is_positive", "flags",
    ]

    /// One candidate row for INSERT or COPY, in `candidateColumns` order.
    func candidateValues(
        index: Int, ra: Double = 150.0, dec: Double = 2.0, fwhm: Double? = 2.5
    ) -> [(any PostgresEncodable)?] {
        [run, observation, differenceRun, index, Double(index % 2048) + 0.5, Double(index / 2048) + 0.25,
         ra, dec, 1234.5, 12.5, fwhm, index % 3 != 0, index % 7]
    }

    /// Inserts one candidate with INSERT.
    @discardableResult
    func insertCandidate(
        _ db: DatabaseConnection, index: Int, ra: Double = 150.0, dec: Double = 2.0, fwhm: Double? = 2.5
    ) throws -> UUID {
        let columns = Self.candidateColumns.joined(separator: ", ")
        let placeholders = (1...Self.candidateColumns.count).map { "$\($0)" }.joined(separator: ", ")
        return try db.query(
            "INSERT INTO candidates (\(columns)) VALUES (\(placeholders)) RETURNING id",
            candidateValues(index: index, ra: ra, dec: dec, fwhm: fwhm)
        )[0].decode(UUID.self, "id")
    }
}
