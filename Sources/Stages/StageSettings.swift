import Foundation
import Configuration
import Differencing

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

/// The `embed:` section: the first-version PCA embedding.
public struct EmbedSettings: ConfigSection, Equatable {
    /// Dimensions of the embedding [2].
    public var lowdim = 2
    /// With no active embedding model, the first embed fits one on the
    /// newest candidates in the database, at most this many [5000].
    public var baselineSize = 5000
    /// Quantile of the baseline's distances that is the anomaly threshold [0.99].
    public var thresholdQuantile = 0.99

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lowdim, baselineSize = "baseline_size", thresholdQuantile = "threshold_quantile"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lowdim = try c.decodeIfPresent(Int.self, forKey: .lowdim) ?? 2
        baselineSize = try c.decodeIfPresent(Int.self, forKey: .baselineSize) ?? 5000
        thresholdQuantile = try c.decodeIfPresent(Double.self, forKey: .thresholdQuantile) ?? 0.99
    }

    public func validate() throws {
        try require((1...FeatureVector.names.count - 1).contains(lowdim), key: "lowdim",
                    "must be 1–\(FeatureVector.names.count - 1), got \(lowdim)")
        try require(baselineSize >= 10, key: "baseline_size", "must be ≥ 10, got \(baselineSize)")
        try require(thresholdQuantile > 0.5 && thresholdQuantile < 1, key: "threshold_quantile",
                    "must be in (0.5, 1), got \(thresholdQuantile)")
    }
}

/// The `score:` section: detections and anomalies.
public struct ScoreSettings: ConfigSection, Equatable {
    /// Confidence (0–1) from which a candidate becomes a detection [0.5].
    public var confidenceThreshold = 0.5
    /// Distance to the nearest reference source under which a candidate is
    /// on that source (a variable), pixels [1.5].
    public var variableRadius = 1.5

    enum CodingKeys: String, CodingKey, CaseIterable {
        case confidenceThreshold = "confidence_threshold", variableRadius = "variable_radius"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        confidenceThreshold = try c.decodeIfPresent(Double.self, forKey: .confidenceThreshold) ?? 0.5
        variableRadius = try c.decodeIfPresent(Double.self, forKey: .variableRadius) ?? 1.5
    }

    public func validate() throws {
        try require((0...1).contains(confidenceThreshold), key: "confidence_threshold",
                    "must be 0–1, got \(confidenceThreshold)")
        try require(variableRadius > 0, key: "variable_radius", "must be > 0 px, got \(variableRadius)")
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
