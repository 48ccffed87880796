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

/// The `alert:` section: where rules come from and the channels they
/// deliver to (docs/alerts.md).
public struct AlertSettings: ConfigSection, Equatable {
    /// Folder of rule files, relative to the config folder [rules]: applied
    /// by `nocturne rules apply`, and by the alert stage itself when the
    /// database holds no active rule.
    public var rulesDirectory = "rules"
    /// The channels rules name.
    public var channels: [ChannelSettings] = [ChannelSettings(name: "zeromq", type: "zeromq")]
    /// How often each channel's dispatcher looks for due deliveries and the
    /// group timers run, milliseconds [200].
    public var dispatchIntervalMilliseconds = 200
    /// An active alert not seen again for this long expires, hours [24].
    public var expireAfterHours = 24.0
    /// Take observations strictly in DATE-OBS order (an item waits for the
    /// earlier ones to be alerted or failed) [false; replays set it, so
    /// dedup identities and counts over time come out the same every time].
    public var inDateOrder = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rulesDirectory = "rules_dir", channels, dispatchIntervalMilliseconds = "dispatch_interval_ms"
        case expireAfterHours = "expire_after_hours", inDateOrder = "in_date_order"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rulesDirectory = try c.decodeIfPresent(String.self, forKey: .rulesDirectory) ?? "rules"
        channels = try c.decodeIfPresent([ChannelSettings].self, forKey: .channels) ?? channels
        dispatchIntervalMilliseconds = try c.decodeIfPresent(Int.self, forKey: .dispatchIntervalMilliseconds) ?? 200
        expireAfterHours = try c.decodeIfPresent(Double.self, forKey: .expireAfterHours) ?? 24
        inDateOrder = try c.decodeIfPresent(Bool.self, forKey: .inDateOrder) ?? false
    }

    public func validate() throws {
        try require(!rulesDirectory.isEmpty, key: "rules_dir", "must name a folder")
        try require(expireAfterHours > 0, key: "expire_after_hours", "must be > 0, got \(expireAfterHours)")
        try require((10...60_000).contains(dispatchIntervalMilliseconds), key: "dispatch_interval_ms",
                    "must be 10–60000, got \(dispatchIntervalMilliseconds)")
        var names = Set<String>()
        for (n, channel) in channels.enumerated() {
            try require(names.insert(channel.name).inserted, key: "channels[\(n)].name", "'\(channel.name)' is used twice")
            try channel.validate(key: "channels[\(n)]")
        }
    }

    /// The channel called `name`.
    public func channel(_ name: String) -> ChannelSettings? { channels.first { $0.name == name } }
}

/// One channel: `zeromq` (the stage's PUB socket, topics
/// `alert.<severity>.<rule>`), `webhook` (HTTP POST of JSON, signed with
/// HMAC-SHA256 when a secret is set) or `file` (JSON lines).
public struct ChannelSettings: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    /// file: the JSON-lines path.
    public var path: String?
    /// webhook: http URL.
    public var url: String?
    /// webhook: the environment variable holding the HMAC secret (never the
    /// secret itself in a config file).
    public var secretEnv: String?
    public var timeoutSeconds: Double?
    public var maxAttempts: Int?
    public var backoffSeconds: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, path, url, secretEnv = "secret_env", timeoutSeconds = "timeout_seconds"
        case maxAttempts = "max_attempts", backoffSeconds = "backoff_seconds"
    }

    public init(name: String, type: String, path: String? = nil, url: String? = nil, secretEnv: String? = nil) {
        self.name = name; self.type = type; self.path = path; self.url = url; self.secretEnv = secretEnv
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(String.self, forKey: .type)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        secretEnv = try c.decodeIfPresent(String.self, forKey: .secretEnv)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts)
        backoffSeconds = try c.decodeIfPresent(Double.self, forKey: .backoffSeconds)
    }

    func validate(key: String) throws {
        try require(name.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil, key: "\(key).name",
                    "must be letters, digits, '_', '.', '-', got '\(name)'")
        switch type {
        case "zeromq": break
        case "file": try require(!(path ?? "").isEmpty, key: "\(key).path", "a file channel needs a path")
        case "webhook":
            try require((url ?? "").hasPrefix("http://"), key: "\(key).url", "a webhook needs an http:// URL, got '\(url ?? "")'")
            try require((timeoutSeconds ?? 5) > 0, key: "\(key).timeout_seconds", "must be > 0")
            try require((1...100).contains(maxAttempts ?? 5), key: "\(key).max_attempts", "must be 1–100")
        default:
            throw ConfigurationError(key: "\(key).type", problem: "must be zeromq, webhook or file, got '\(type)'")
        }
    }
}
