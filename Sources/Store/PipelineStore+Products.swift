import Database
import Foundation

/// The preprocess stage's row for one observation in one run.
public struct PreprocessRunRecord: Sendable {
    public var runID: UUID, observationID: UUID, referenceObservationID: UUID
    public var registrationQuality: Double, astrometricRMSPixels: Double
    public var stars: Int, matched: Int, seeing: Double, backgroundLevel: Double, backgroundRMS: Double
    public var wcsInfo: String, psf: String, parameters: String
    public var alignedPath: String?, durationMS: Double

    public init(runID: UUID, observationID: UUID, referenceObservationID: UUID, registrationQuality: Double,
                astrometricRMSPixels: Double, stars: Int, matched: Int, seeing: Double, backgroundLevel: Double,
                backgroundRMS: Double, wcsInfo: String, psf: String, parameters: String, alignedPath: String?,
                durationMS: Double) {
        self.runID = runID; self.observationID = observationID; self.referenceObservationID = referenceObservationID
        self.registrationQuality = registrationQuality; self.astrometricRMSPixels = astrometricRMSPixels
        self.stars = stars; self.matched = matched; self.seeing = seeing; self.backgroundLevel = backgroundLevel
        self.backgroundRMS = backgroundRMS; self.wcsInfo = wcsInfo; self.psf = psf; self.parameters = parameters
        self.alignedPath = alignedPath; self.durationMS = durationMS
    }
}

/// The difference stage's row for one observation in one run.
public struct DifferenceRunRecord: Sendable {
    public var runID: UUID, observationID: UUID, preprocessRunID: UUID?, referenceObservationID: UUID
    public var parameters: String, fluxRatio: Double, noiseLevel: Double, scorrStd: Double, threshold: Double
    public var differencePath: String?, scorrPath: String?, psfPath: String?, durationMS: Double

    public init(runID: UUID, observationID: UUID, preprocessRunID: UUID?, referenceObservationID: UUID,
                parameters: String, fluxRatio: Double, noiseLevel: Double, scorrStd: Double, threshold: Double,
                differencePath: String?, scorrPath: String?, psfPath: String?, durationMS: Double) {
        self.runID = runID; self.observationID = observationID; self.preprocessRunID = preprocessRunID
        self.referenceObservationID = referenceObservationID; self.parameters = parameters; self.fluxRatio = fluxRatio
        self.noiseLevel = noiseLevel; self.scorrStd = scorrStd; self.threshold = threshold
        self.differencePath = differencePath; self.scorrPath = scorrPath; self.psfPath = psfPath; self.durationMS = durationMS
    }
}

extension PipelineStore {
    /// Writes (or finds) the preprocess row; returns its id. Idempotent on
    /// (run, observation).
    @discardableResult
    public func savePreprocessRun(_ r: PreprocessRunRecord) throws -> UUID {
        let inserted = try connection.query(
            """
            INSERT INTO preprocess_runs (run_id, observation_id, reference_observation_id, wcs_aligned, registration_quality,
                astrometric_rms_px, n_stars, n_matched, seeing_fwhm_px, background_level, background_rms, wcs_info, psf,
                parameters, aligned_path, finished_at, duration_ms)
            VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, now(), $15)
            ON CONFLICT (run_id, observation_id) DO NOTHING RETURNING id
            """, [r.runID, r.observationID, r.referenceObservationID, r.registrationQuality, r.astrometricRMSPixels,
                  r.stars, r.matched, r.seeing, r.backgroundLevel, r.backgroundRMS, r.wcsInfo, r.psf, r.parameters,
                  r.alignedPath, r.durationMS])
        if let row = inserted.first { return try row.decode(UUID.self, "id") }
        return try connection.query("SELECT id FROM preprocess_runs WHERE run_id = $1 AND observation_id = $2",
                                    [r.runID, r.observationID])[0].decode(UUID.self, "id")
    }

    /// The preprocess row of an observation in a run, or nil.
    public func preprocessRun(runID: UUID, observationID: UUID) throws -> StoredProduct? {
        try connection.query(
            """
            SELECT id, aligned_path AS path, reference_observation_id, parameters::text AS parameters
            FROM preprocess_runs WHERE run_id = $1 AND observation_id = $2
            """, [runID, observationID]).first.map(Self.decodeProduct)
    }

    /// Writes (or finds) the difference row; returns its id.
    @discardableResult
    public func saveDifferenceRun(_ r: DifferenceRunRecord) throws -> UUID {
        let inserted = try connection.query(
            """
            INSERT INTO difference_runs (run_id, observation_id, preprocess_run_id, reference_observation_id, parameters,
                flux_ratio, noise_level, scorr_std, detection_threshold, difference_path, scorr_path, psf_path,
                finished_at, duration_ms)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, now(), $13)
            ON CONFLICT (run_id, observation_id) DO NOTHING RETURNING id
            """, [r.runID, r.observationID, r.preprocessRunID, r.referenceObservationID, r.parameters, r.fluxRatio,
                  r.noiseLevel, r.scorrStd, r.threshold, r.differencePath, r.scorrPath, r.psfPath, r.durationMS])
        if let row = inserted.first { return try row.decode(UUID.self, "id") }
        return try connection.query("SELECT id FROM difference_runs WHERE run_id = $1 AND observation_id = $2",
                                    [r.runID, r.observationID])[0].decode(UUID.self, "id")
    }

    /// The difference row of an observation in a run (its path is S_corr's), or nil.
    public func differenceRun(runID: UUID, observationID: UUID) throws -> StoredProduct? {
        try connection.query(
            """
            SELECT id, scorr_path AS path, reference_observation_id, parameters::text AS parameters
            FROM difference_runs WHERE run_id = $1 AND observation_id = $2
            """, [runID, observationID]).first.map(Self.decodeProduct)
    }

    static func decodeProduct(_ row: DatabaseRow) throws -> StoredProduct {
        StoredProduct(id: try row.decode(UUID.self, "id"), path: try row.decodeIfPresent(String.self, "path"),
                      reference: try row.decodeIfPresent(UUID.self, "reference_observation_id"),
                      parameters: try row.decode(String.self, "parameters"))
    }
}

/// A stage's product row as the next stage reads it back when it resumes
/// an item without its message.
public struct StoredProduct: Sendable {
    /// The row's id.
    public var id: UUID
    /// The main product file (aligned image, or S_corr).
    public var path: String?
    /// The reference observation it was made against.
    public var reference: UUID?
    /// The stage's parameters and measured figures (JSON text).
    public var parameters: String
}
