import Database
import Foundation
import Observations

/// What happened when a file was offered to the registry.
public enum Registration: Sendable, Equatable {
    /// A new observation row was made.
    case registered(UUID)
    /// These exact bytes were seen before; nothing new was made.
    case duplicateFile(UUID)
    /// Another file already registered this exposure (same survey and key).
    case duplicateObservation(UUID)

    /// The observation the file belongs to.
    public var observationID: UUID {
        switch self {
        case .registered(let id), .duplicateFile(let id), .duplicateObservation(let id): id
        }
    }
}

extension PipelineStore {
    /// Registers an observation and its file in one transaction. The same
    /// bytes twice, or the same exposure under another file, give one
    /// observation row; `ingest_files` records every sighting.
    public func register(_ observation: Observation, runID: UUID) throws -> Registration {
        try transaction { store in
            if let seen = try store.sightFile(sha256: observation.fileSHA256), let id = seen {
                return .duplicateFile(id)
            }
            let surveyID = try store.survey(named: observation.survey, telescope: observation.telescope,
                                            instrument: observation.instrument)
            let inserted = try store.connection.query(Self.insertObservation, Self.parameters(observation, runID, surveyID))
            if let row = inserted.first {
                let id = try row.decode(UUID.self, "id")
                try store.recordFile(observation, runID: runID, status: "accepted", observationID: id)
                return .registered(id)
            }
            let existing = try store.connection.query(
                "SELECT id FROM observations WHERE survey_id = $1 AND observation_key = $2",
                [surveyID, observation.observationKey])
            let id = try existing[0].decode(UUID.self, "id")
            try store.recordFile(observation, runID: runID, status: "duplicate", observationID: id)
            return .duplicateObservation(id)
        }
    }

    /// Records a file that could not become an observation, with the reason.
    public func recordRefusedFile(path: String, size: Int, sha256: String, reason: String, runID: UUID,
                                  quarantinePath: String? = nil) throws {
        try connection.execute(
            """
            INSERT INTO ingest_files (run_id, path, size_bytes, sha256, status, reason, quarantine_path)
            VALUES ($1, $2, $3, $4, 'quarantined', $5, $6)
            ON CONFLICT (sha256) DO UPDATE SET times_seen = ingest_files.times_seen + 1, last_seen_at = now()
            """, [runID, path, size, sha256, reason, quarantinePath])
    }

    /// The survey's id, creating the survey the first time it is seen.
    public func survey(named name: String, telescope: String? = nil, instrument: String? = nil) throws -> UUID {
        let rows = try connection.query(
            """
            INSERT INTO surveys (name, telescope, instrument) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
            """, [name, telescope, instrument])
        return try rows[0].decode(UUID.self, "id")
    }

    /// If these bytes were seen before: bumps the sighting and returns the
    /// observation they made (nil inside when they were refused).
    private func sightFile(sha256: String) throws -> UUID?? {
        let rows = try connection.query(
            """
            UPDATE ingest_files SET times_seen = times_seen + 1, last_seen_at = now()
            WHERE sha256 = $1 RETURNING observation_id
            """, [sha256])
        guard let row = rows.first else { return nil }
        return .some(try row.decodeIfPresent(UUID.self, "observation_id"))
    }

    private func recordFile(_ observation: Observation, runID: UUID, status: String, observationID: UUID) throws {
        try connection.execute(
            """
            INSERT INTO ingest_files (run_id, path, size_bytes, sha256, status, observation_id)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [runID, observation.filePath, observation.fileSize, observation.fileSHA256, status, observationID])
    }

    static let insertObservation = """
        INSERT INTO observations (
            run_id, survey_id, observation_key, role, field, filter, date_obs, mjd_obs, exptime, ra, dec,
            airmass, gain, read_noise, saturate, naxis1, naxis2, pixel_scale, telescope, instrument,
            file_path, file_sha256, header, validation_status)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                $21, $22, $23::jsonb, 'valid')
        ON CONFLICT (survey_id, observation_key) DO NOTHING
        RETURNING id
        """

    static func parameters(_ o: Observation, _ runID: UUID, _ surveyID: UUID) -> [(any PostgresEncodable)?] {
        [runID, surveyID, o.observationKey, o.role.rawValue, o.field, o.filter, o.dateObs, o.mjdObs, o.exptime,
         o.centerRA, o.centerDec, o.airmass, o.gain, o.readNoise, o.saturate, o.width, o.height, o.pixelScale,
         o.telescope, o.instrument, o.filePath, o.fileSHA256, o.headerJSON]
    }
}
