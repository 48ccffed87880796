import Database
import Foundation

/// One line of an observation listing, as operators see it.
public struct ObservationSummary: Sendable, Equatable {
    public var id: UUID
    public var survey: String
    public var field: String?
    public var filter: String?
    public var dateObs: Date
    public var exptime: Double
    /// Centre of the image, degrees.
    public var ra: Double?
    public var dec: Double?
    public var status: String
    public var filePath: String
}

extension PipelineStore {
    /// Observations in DATE-OBS order, optionally only those `ids`.
    public func observationSummaries(ids: [UUID]? = nil) throws -> [ObservationSummary] {
        let filter = ids == nil ? "" : "WHERE o.id = ANY($1::uuid[])"
        let parameters: [(any PostgresEncodable)?] = ids.map { [$0] } ?? []
        return try connection.query(
            """
            SELECT o.id, s.name AS survey, o.field, o.filter, o.date_obs, o.exptime, o.ra, o.dec, o.status, o.file_path
            FROM observations o JOIN surveys s ON s.id = o.survey_id \(filter)
            ORDER BY o.date_obs, o.observation_key
            """, parameters).map { row in
            ObservationSummary(
                id: try row.decode(UUID.self, "id"), survey: try row.decode(String.self, "survey"),
                field: try row.decodeIfPresent(String.self, "field"), filter: try row.decodeIfPresent(String.self, "filter"),
                dateObs: try row.decode(Date.self, "date_obs"), exptime: try row.decode(Double.self, "exptime"),
                ra: try row.decodeIfPresent(Double.self, "ra"), dec: try row.decodeIfPresent(Double.self, "dec"),
                status: try row.decode(String.self, "status"), filePath: try row.decode(String.self, "file_path"))
        }
    }
}
