import Database
import Foundation
import Testing
import TestSupport

@Suite("Schema constraints")
struct ConstraintTests {
    /// What breaks a row, and the constraint PostgreSQL must name for it.
    struct BadRow: Sendable, CustomTestStringConvertible {
        let what: String
        let constraint: String
        let table: String
        let insert: @Sendable (DatabaseConnection, Lineage) throws -> Void
        var testDescription: String { what }
    }

    static let badRows: [BadRow] = [
        BadRow(what: "RA 400", constraint: "candidates_ra_check", table: "candidates") { db, lineage in
            try lineage.insertCandidate(db, index: 0, ra: 400)
        },
        BadRow(what: "Dec -91", constraint: "candidates_dec_check", table: "candidates") { db, lineage in
            try lineage.insertCandidate(db, index: 0, dec: -91)
        },
        BadRow(what: "FWHM 0", constraint: "candidates_fwhm_check", table: "candidates") { db, lineage in
            try lineage.insertCandidate(db, index: 0, fwhm: 0)
        },
        BadRow(what: "exposure 0", constraint: "observations_exptime_check", table: "observations") { db, lineage in
            _ = try Lineage.insertObservation(db, run: lineage.run, survey: lineage.survey, key: "zero", exptime: 0)
        },
        BadRow(what: "confidence 1.5", constraint: "detections_confidence_check", table: "detections") { db, lineage in
            let candidate = try lineage.insertCandidate(db, index: 0)
            try db.execute(
                """
                INSERT INTO detections (run_id, candidate_id, observation_id, confidence, detection_type, ra, dec)
                VALUES ($1, $2, $3, $4, 'transient', 150, 2)
                """, [lineage.run, candidate, lineage.observation, 1.5])
        },
    ]

    @Test("a bad value is rejected with an error naming its constraint", arguments: badRows)
    func rejects(_ bad: BadRow) throws {
        let db = try TestDatabase.make()
        let lineage = try Lineage.insert(db.connection)
        let error = #expect(throws: DatabaseError.self) { try bad.insert(db.connection, lineage) }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.sqlState == "23514")
        #expect(error?.constraint == bad.constraint)
        #expect(error?.table == bad.table)
        #expect(error?.description.contains(bad.constraint) == true)
        #expect(error?.description.contains(db.name) == true, "the message names the database")
        // The connection stays usable after a statement error.
        #expect(try db.connection.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1)
    }

    @Test("a duplicate natural key is rejected, and ON CONFLICT DO NOTHING makes the write idempotent")
    func duplicateKey() throws {
        let db = try TestDatabase.make()
        let lineage = try Lineage.insert(db.connection)
        let error = #expect(throws: DatabaseError.self) {
            _ = try Lineage.insertObservation(db.connection, run: lineage.run, survey: lineage.survey, key: "obs-0001")
        }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraint == "observations_survey_id_observation_key_key")
        #expect(error?.table == "observations")
        #expect(error?.isConnectionFailure == false)

        let upsert = """
            INSERT INTO observations (run_id, survey_id, observation_key, date_obs, exptime, naxis1, naxis2,
                file_path, file_sha256, header)
            VALUES ($1, $2, $3, now(), 30, 10, 10, '/x.fits', $4, '{}')
            ON CONFLICT (survey_id, observation_key) DO NOTHING
            """
        let sha = String(repeating: "0", count: 64)
        #expect(try db.connection.execute(upsert, [lineage.run, lineage.survey, "obs-0001", sha]) == 0)
        #expect(try db.connection.execute(upsert, [lineage.run, lineage.survey, "obs-0002", sha]) == 1)
        #expect(try db.connection.execute(upsert, [lineage.run, lineage.survey, "obs-0002", sha]) == 0)
        let count = try db.connection.query("SELECT count(*) AS n FROM observations")[0].decode(Int.self, "n")
        #expect(count == 2)
    }
}
