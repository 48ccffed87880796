import Foundation
import Configuration
import Differencing
import Learning
import Scoring

/// The `extraction:` section: what the imaging stages change from the
/// imaging core's defaults (docs/imaging.md explains each figure).
public struct ExtractionSettings: ConfigSection, Equatable {
    /// Detection threshold on |S_corr|, σ [5].
    public var threshold: Double = 5
    /// Whether negative candidates (fading sources) are extracted [true].
    public var detectNegatives = true

    enum CodingKeys: String, CodingKey, CaseIterable {
        case threshold, detectNegatives = "detect_negatives"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? 5
        detectNegatives = try c.decodeIfPresent(Bool.self, forKey: .detectNegatives) ?? true
    }

    public func validate() throws {
        try require(threshold >= 2 && threshold <= 100, key: "threshold", "must be 2–100 σ, got \(threshold)")
    }

    /// The imaging core's parameters with these applied.
    public var pipeline: DifferencePipeline {
        var parameters = DifferenceParameters()
        parameters.extraction.threshold = threshold
        parameters.extraction.detectNegatives = detectNegatives
        return DifferencePipeline(parameters: parameters)
    }
}

/// The `embed:` section: the DInsight-style map's parameters (by their
/// DInsight names, see ``DInsightParameters`` and docs/features.md) and how
/// a baseline is chosen and calibrated.
public struct EmbedSettings: ConfigSection, Equatable {
    /// gamma0, optimizer, alpha, imax, lowdim, eta, epsilon, beta1, beta2,
    /// beta, a, w1, w2, which_w1, mode, param_mode, start_dim, end_dim.
    public var dinsight = DInsightParameters()
    /// Most candidates a fitted baseline holds [5000].
    public var baselineSize = 5000
    /// With no active embedding model, the first map is fitted on the
    /// candidates of the run's first this-many observations by DATE-OBS [8].
    public var bootstrapObservations = 8
    /// Quantile of the baseline's scores that is each anomaly threshold [0.995].
    public var thresholdQuantile = 0.995
    /// Nearest baseline points for the distance score and the analogs [10].
    public var analogs = 10

    enum CodingKeys: String, CodingKey, CaseIterable {
        case baselineSize = "baseline_size", thresholdQuantile = "threshold_quantile", analogs
        case bootstrapObservations = "bootstrap_observations"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let own = Set(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in c.allKeys where !own.contains(key.stringValue) && !DInsightParameters.names.contains(key.stringValue) {
            let expected = (own.sorted() + DInsightParameters.names).joined(separator: ", ")
            throw ConfigurationError(key: key.stringValue, problem: "unknown key; expected one of: \(expected)")
        }
        let mine = try decoder.container(keyedBy: CodingKeys.self)
        baselineSize = try mine.decodeIfPresent(Int.self, forKey: .baselineSize) ?? 5000
        thresholdQuantile = try mine.decodeIfPresent(Double.self, forKey: .thresholdQuantile) ?? 0.995
        analogs = try mine.decodeIfPresent(Int.self, forKey: .analogs) ?? 10
        bootstrapObservations = try mine.decodeIfPresent(Int.self, forKey: .bootstrapObservations) ?? 8
        let json = try decoder.scalarsAsJSON(excluding: own)
        do {
            dinsight = try JSONDecoder().decode(DInsightParameters.self, from: Data(json.utf8))
        } catch let error as LearningError {
            throw ConfigurationError(key: error.key ?? "", problem: error.message)
        } catch {
            throw ConfigurationError(key: "", problem: "the DInsight parameters cannot be read: \(error)")
        }
    }

    public func validate() throws {
        do { try dinsight.validate() } catch let error as LearningError {
            throw ConfigurationError(key: error.key ?? "", problem: error.message)
        }
        try require(baselineSize >= 100, key: "baseline_size", "must be ≥ 100, got \(baselineSize)")
        try require(thresholdQuantile > 0.5 && thresholdQuantile < 1, key: "threshold_quantile",
                    "must be in (0.5, 1), got \(thresholdQuantile)")
        try require((1...50).contains(analogs), key: "analogs", "must be 1–50, got \(analogs)")
        try require(bootstrapObservations >= 1, key: "bootstrap_observations", "must be ≥ 1, got \(bootstrapObservations)")
    }
}

/// The `score:` section: detections, their types and anomalies.
public struct ScoreSettings: ConfigSection, Equatable {
    /// Real/bogus confidence (0–1) from which a candidate becomes a detection [0.5].
    public var confidenceThreshold = 0.5
    /// Artifact probability from which a candidate is typed artifact [0.5].
    public var artifactThreshold = 0.5
    /// Within this distance of a point-like reference source, a change is
    /// that source varying, pixels [1.5].
    public var variableRadius = 1.5
    /// A reference source this much wider than the median is a host [1.3].
    public var hostSize = 1.3
    /// A candidate of another epoch closer than this is "the same place",
    /// arcseconds [2].
    public var sameSourceRadius = 2.0

    enum CodingKeys: String, CodingKey, CaseIterable {
        case confidenceThreshold = "confidence_threshold", artifactThreshold = "artifact_threshold"
        case variableRadius = "variable_radius", hostSize = "host_size", sameSourceRadius = "same_source_radius"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        confidenceThreshold = try c.decodeIfPresent(Double.self, forKey: .confidenceThreshold) ?? 0.5
        artifactThreshold = try c.decodeIfPresent(Double.self, forKey: .artifactThreshold) ?? 0.5
        variableRadius = try c.decodeIfPresent(Double.self, forKey: .variableRadius) ?? 1.5
        hostSize = try c.decodeIfPresent(Double.self, forKey: .hostSize) ?? 1.3
        sameSourceRadius = try c.decodeIfPresent(Double.self, forKey: .sameSourceRadius) ?? 2
    }

    public func validate() throws {
        try require((0...1).contains(confidenceThreshold), key: "confidence_threshold",
                    "must be 0–1, got \(confidenceThreshold)")
        try require((0...1).contains(artifactThreshold), key: "artifact_threshold", "must be 0–1, got \(artifactThreshold)")
        try require(variableRadius > 0, key: "variable_radius", "must be > 0 px, got \(variableRadius)")
        try require(hostSize > 1, key: "host_size", "must be > 1, got \(hostSize)")
        try require(sameSourceRadius > 0 && sameSourceRadius <= 60, key: "same_source_radius",
                    "must be in (0, 60] arcsec, got \(sameSourceRadius)")
    }

    /// The typing rules these settings make.
    public var typing: TypingRules {
        var rules = TypingRules()
        rules.artifactProbability = artifactThreshold
        rules.variableRadius = variableRadius
        rules.hostSize = hostSize
        return rules
    }
}

/// The `alert:` section: the first rule, until rules come from files.
public struct AlertSettings: ConfigSection, Equatable {
    /// The lowest anomaly severity that raises an alert [high].
    public var minimumSeverity = "high"
    /// The rule's name in `alert_rules` [high-severity].
    public var rule = "high-severity"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minimumSeverity = "minimum_severity", rule
    }

    /// Severities in increasing order.
    static let severities = ["low", "medium", "high", "critical"]

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minimumSeverity = try c.decodeIfPresent(String.self, forKey: .minimumSeverity) ?? "high"
        rule = try c.decodeIfPresent(String.self, forKey: .rule) ?? "high-severity"
    }

    public func validate() throws {
        try require(Self.severities.contains(minimumSeverity), key: "minimum_severity",
                    "must be one of \(Self.severities.joined(separator: ", ")), got '\(minimumSeverity)'")
        try require(rule.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil, key: "rule",
                    "must be letters, digits, '_', '.', '-', got '\(rule)'")
    }

    /// The severities that alert.
    var alerting: [String] { Array(Self.severities.drop { $0 != minimumSeverity }) }
}
