import Database
import Foundation

/// A candidate's coordinates in an embedding.
public struct EmbeddingRecord: Sendable {
    public var candidateID: UUID
    public var coords: [Double]
    public init(candidateID: UUID, coords: [Double]) {
        self.candidateID = candidateID
        self.coords = coords
    }
}

/// A row of `detections`: a candidate judged real, with its type.
public struct DetectionRecord: Sendable {
    public var id: UUID
    public var candidateID: UUID
    /// 0–1.
    public var confidence: Double
    /// transient, variable, supernova_like, moving, artifact or unknown.
    public var type: String
    public var ra: Double, dec: Double
    public var mag: Double?, snr: Double?
    /// The artifact classifier's probability, 0–1 (nil without one).
    public var artifactProbability: Double?
    public init(id: UUID, candidateID: UUID, confidence: Double, type: String, ra: Double, dec: Double, mag: Double?,
                snr: Double?, artifactProbability: Double? = nil) {
        self.id = id; self.candidateID = candidateID; self.confidence = confidence; self.type = type
        self.ra = ra; self.dec = dec; self.mag = mag; self.snr = snr; self.artifactProbability = artifactProbability
    }
}

/// A row of `anomalies`: a candidate far from the baseline, and why.
public struct AnomalyRecord: Sendable {
    public var id: UUID
    public var candidateID: UUID
    public var detectionID: UUID?
    /// Mean distance to the nearest baseline points in the map, and its threshold.
    public var embeddingDistance: Double
    /// Isolation-forest score (0–1) and its threshold.
    public var featureScore: Double, featureThreshold: Double
    /// The larger of the two scores' excess ratios (1 at the threshold).
    public var score: Double
    public var threshold: Double
    /// Coordinates in the map.
    public var coords: [Double]
    /// low, medium, high or critical.
    public var severity: String
    /// JSON texts.
    public var features: String, topFeatures: String, modelVersions: String
    public var analogs: [UUID]
    public var ra: Double, dec: Double
    public init(id: UUID, candidateID: UUID, detectionID: UUID?, embeddingDistance: Double, featureScore: Double,
                featureThreshold: Double, score: Double, threshold: Double, coords: [Double], severity: String,
                features: String, topFeatures: String, modelVersions: String, analogs: [UUID], ra: Double, dec: Double) {
        self.id = id; self.candidateID = candidateID; self.detectionID = detectionID
        self.embeddingDistance = embeddingDistance; self.featureScore = featureScore
        self.featureThreshold = featureThreshold; self.coords = coords; self.score = score
        self.threshold = threshold; self.severity = severity; self.features = features; self.topFeatures = topFeatures
        self.modelVersions = modelVersions; self.analogs = analogs; self.ra = ra; self.dec = dec
    }
}

extension PipelineStore {
    /// Writes embeddings; a candidate already embedded by the model keeps its row.
    public func saveEmbeddings(_ rows: [EmbeddingRecord], modelID: UUID, runID: UUID) throws {
        for row in rows {
            try connection.execute(
                """
                INSERT INTO embeddings (candidate_id, model_id, run_id, coords) VALUES ($1, $2, $3, $4::float8[])
                ON CONFLICT (candidate_id, model_id) DO NOTHING
                """, [row.candidateID, modelID, runID, Self.arrayLiteral(row.coords)])
        }
    }

    /// Embedding coordinates of an observation's candidates under a model.
    public func embeddings(runID: UUID, observationID: UUID, modelID: UUID) throws -> [UUID: [Double]] {
        let rows = try connection.query(
            """
            SELECT e.candidate_id, array_to_string(e.coords, ',') AS coords FROM embeddings e
            JOIN candidates c ON c.id = e.candidate_id
            WHERE c.run_id = $1 AND c.observation_id = $2 AND e.model_id = $3
            """, [runID, observationID, modelID])
        var found: [UUID: [Double]] = [:]
        for row in rows {
            found[try row.decode(UUID.self, "candidate_id")] =
                try row.decode(String.self, "coords").split(separator: ",").compactMap { Double($0) }
        }
        return found
    }

    /// Replaces an observation's detections and anomalies in a run (a redo
    /// leaves one set).
    public func replaceScores(runID: UUID, observationID: UUID, modelID: UUID?, detections: [DetectionRecord],
                              anomalies: [AnomalyRecord]) throws {
        try connection.execute("DELETE FROM anomalies WHERE run_id = $1 AND observation_id = $2", [runID, observationID])
        try connection.execute("DELETE FROM detections WHERE run_id = $1 AND observation_id = $2", [runID, observationID])
        for d in detections {
            try connection.execute(
                """
                INSERT INTO detections (id, run_id, candidate_id, observation_id, model_id, confidence, detection_type, ra, dec,
                                        mag, snr, artifact_probability)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """, [d.id, runID, d.candidateID, observationID, modelID, d.confidence, d.type, d.ra, d.dec, d.mag, d.snr,
                      d.artifactProbability])
        }
        for a in anomalies {
            try connection.execute(
                """
                INSERT INTO anomalies (id, run_id, candidate_id, detection_id, observation_id, embedding_distance, feature_score,
                    score, threshold, severity, features, top_features, analogs, model_versions, ra, dec, feature_threshold,
                    ratio, coords)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::uuid[], $14::jsonb, $15, $16,
                        $17, $18, $19::float8[])
                """, [a.id, runID, a.candidateID, a.detectionID, observationID, a.embeddingDistance, a.featureScore,
                      a.score, a.threshold, a.severity, a.features, a.topFeatures,
                      "{" + a.analogs.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}", a.modelVersions,
                      a.ra, a.dec, a.featureThreshold, a.score, Self.arrayLiteral(a.coords)])
        }
    }

    /// An observation's anomalies in a run at or above `severities`, with
    /// their candidate's figures, for alerting.
    public func anomalies(runID: UUID, observationID: UUID, severities: [String]) throws -> [StoredAnomaly] {
        try connection.query(
            """
            SELECT a.id, a.candidate_id, a.detection_id, a.severity, a.score, a.threshold, a.ra, a.dec,
                   a.top_features::text AS top_features, c.snr, c.mag, d.detection_type, d.confidence,
                   o.field, o.filter, o.date_obs
            FROM anomalies a JOIN candidates c ON c.id = a.candidate_id JOIN observations o ON o.id = a.observation_id
            LEFT JOIN detections d ON d.id = a.detection_id
            WHERE a.run_id = $1 AND a.observation_id = $2 AND a.severity = ANY($3::text[])
            ORDER BY a.score DESC, a.id
            """, [runID, observationID, "{" + severities.joined(separator: ",") + "}"]).map { r in
            StoredAnomaly(
                id: try r.decode(UUID.self, "id"), candidateID: try r.decode(UUID.self, "candidate_id"),
                detectionID: try r.decodeIfPresent(UUID.self, "detection_id"), severity: try r.decode(String.self, "severity"),
                score: try r.decode(Double.self, "score"), threshold: try r.decode(Double.self, "threshold"),
                ra: try r.decode(Double.self, "ra"), dec: try r.decode(Double.self, "dec"),
                topFeatures: try r.decode(String.self, "top_features"), snr: try r.decodeIfPresent(Double.self, "snr"),
                mag: try r.decodeIfPresent(Double.self, "mag"), type: try r.decodeIfPresent(String.self, "detection_type"),
                confidence: try r.decodeIfPresent(Double.self, "confidence"), field: try r.decodeIfPresent(String.self, "field"),
                filter: try r.decodeIfPresent(String.self, "filter"), dateObs: try r.decode(Date.self, "date_obs"))
        }
    }

    /// Ids of an observation's candidates that have a candidate of another
    /// observation of the same field in the same run within `radius`
    /// arcseconds: a source seen at the same place in another epoch.
    public func candidatesSeenElsewhere(runID: UUID, observationID: UUID, radiusArcsec: Double) throws -> Set<UUID> {
        let rows = try connection.query(
            """
            SELECT DISTINCT c.id FROM candidates c
            JOIN observations o ON o.id = c.observation_id
            JOIN candidates d ON d.run_id = c.run_id AND d.observation_id <> c.observation_id
                 AND q3c_join(c.ra, c.dec, d.ra, d.dec, $3 / 3600.0)
            JOIN observations p ON p.id = d.observation_id AND p.field IS NOT DISTINCT FROM o.field
            WHERE c.run_id = $1 AND c.observation_id = $2
            """, [runID, observationID, radiusArcsec])
        return Set(try rows.map { try $0.decode(UUID.self, "id") })
    }

    /// Detections of other observations typed moving that this
    /// observation's candidates show at the same place become transients:
    /// whichever epoch is scored last settles it, so the final types do not
    /// depend on the order the epochs were scored in.
    @discardableResult
    public func retypeMovingSeenAgain(runID: UUID, observationID: UUID, radiusArcsec: Double) throws -> Int {
        try connection.execute(
            """
            UPDATE detections t SET detection_type = 'transient'
            FROM candidates d, candidates c, observations o, observations p
            WHERE t.run_id = $1 AND t.detection_type = 'moving' AND t.observation_id <> $2
              AND d.id = t.candidate_id AND c.run_id = $1 AND c.observation_id = $2
              AND q3c_join(d.ra, d.dec, c.ra, c.dec, $3 / 3600.0)
              AND o.id = c.observation_id AND p.id = d.observation_id AND p.field IS NOT DISTINCT FROM o.field
            """, [runID, observationID, radiusArcsec])
    }

    /// `{1.5,2.25}`: a PostgreSQL array literal (NaN as NaN).
    static func arrayLiteral(_ values: [Double]) -> String {
        "{" + values.map { $0.isFinite ? "\($0)" : "NaN" }.joined(separator: ",") + "}"
    }
}

/// An anomaly with the figures an alert carries.
public struct StoredAnomaly: Sendable {
    public var id: UUID, candidateID: UUID, detectionID: UUID?
    public var severity: String, score: Double, threshold: Double
    public var ra: Double, dec: Double
    public var topFeatures: String
    public var snr: Double?, mag: Double?, type: String?, confidence: Double?
    public var field: String?, filter: String?
    public var dateObs: Date
}
