import Database
import Foundation

/// A reference's pixels and header, as `reference_images` keeps them.
public struct ReferenceImage: Sendable {
    public var observationID: UUID
    public var width: Int
    public var height: Int
    /// Little-endian float32, row-major.
    public var pixels: Data
    /// FITS header cards (80-character records).
    public var header: String
    public var filePath: String
}

extension PipelineStore {
    /// Keeps a reference's pixels (idempotent: the first copy stays) and
    /// makes the observation a reference: an exposure registered earlier as
    /// science (say by `nocturne ingest`) that becomes its field's first
    /// reference changes role.
    public func saveReferenceImage(observationID: UUID, width: Int, height: Int, pixels: Data, header: String) throws {
        try connection.execute("UPDATE observations SET role = 'reference' WHERE id = $1 AND role <> 'reference'",
                               [observationID])
        try connection.execute(
            """
            INSERT INTO reference_images (observation_id, width, height, pixels, header)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (observation_id) DO NOTHING
            """, [observationID, width, height, pixels, header])
    }

    /// The reference for a field: the newest reference-role observation of
    /// the same survey, field and filter that has its pixels kept.
    public func referenceFor(observation id: UUID) throws -> UUID? {
        try connection.query(
            """
            SELECT r.id FROM observations o
            JOIN observations r ON r.survey_id = o.survey_id AND r.field IS NOT DISTINCT FROM o.field
                 AND r.filter IS NOT DISTINCT FROM o.filter AND r.role = 'reference'
            JOIN reference_images i ON i.observation_id = r.id
            WHERE o.id = $1
            ORDER BY r.date_obs DESC, r.id LIMIT 1
            """, [id]).first.map { try $0.decode(UUID.self, "id") }
    }

    /// Whether a field already has a reference (any reference-role observation).
    public func hasReference(survey: String, field: String?, filter: String?) throws -> Bool {
        try !connection.query(
            """
            SELECT 1 FROM observations r JOIN surveys s ON s.id = r.survey_id
            WHERE s.name = $1 AND r.field IS NOT DISTINCT FROM $2 AND r.filter IS NOT DISTINCT FROM $3
              AND r.role = 'reference' LIMIT 1
            """, [survey, field, filter]).isEmpty
    }

    /// A kept reference image, or nil.
    public func referenceImage(_ id: UUID) throws -> ReferenceImage? {
        try connection.query(
            """
            SELECT i.observation_id, i.width, i.height, i.pixels, i.header, o.file_path
            FROM reference_images i JOIN observations o ON o.id = i.observation_id WHERE i.observation_id = $1
            """, [id]).first.map { row in
            ReferenceImage(observationID: try row.decode(UUID.self, "observation_id"), width: try row.decode(Int.self, "width"),
                           height: try row.decode(Int.self, "height"), pixels: try row.decode(Data.self, "pixels"),
                           header: try row.decode(String.self, "header"), filePath: try row.decode(String.self, "file_path"))
        }
    }

    /// The file an observation was registered from.
    public func filePath(of observation: UUID) throws -> String? {
        try connection.query("SELECT file_path FROM observations WHERE id = $1", [observation])
            .first.map { try $0.decode(String.self, "file_path") }
    }
}
