import Configuration

/// The runtime's tunables as the `runtime:` config section holds them, so a
/// pipeline can overlay them per stage (or `--set runtime.attempts=5`). Every
/// key is optional and defaults as listed; ``RuntimeConfiguration`` documents
/// what each does.
///
/// ```yaml
/// runtime:
///   lease_seconds: 300          # how long a claimed item is held
///   rescan_seconds: 5           # how often the database is searched for work
///   attempts: 3                 # tries per item before it is marked failed
///   backoff_seconds: 1          # wait before the 2nd try; doubles after
///   maximum_backoff_seconds: 30 # cap on that wait, and on reconnect waits
///   poll_milliseconds: 250      # longest wait before checking for shutdown
///   high_water_mark: 4          # messages queued per peer
///   send_timeout_seconds: 5     # wait for queue space before giving a message up
/// ```
public struct RuntimeSettings: ConfigSection, Equatable {
    /// Seconds a claimed item is held [300].
    public var leaseSeconds: Double = 300
    /// Seconds between database rescans [5].
    public var rescanSeconds: Double = 5
    /// Tries per item, the first included [3].
    public var attempts: Int = 3
    /// Seconds before the second try, doubling after [1].
    public var backoffSeconds: Double = 1
    /// Longest wait between tries or reconnects, seconds [30].
    public var maximumBackoffSeconds: Double = 30
    /// Longest wait for input before checking for shutdown, milliseconds [250].
    public var pollMilliseconds: Int = 250
    /// Messages queued per peer [4].
    public var highWaterMark: Int = 4
    /// Seconds a send waits for queue space [5].
    public var sendTimeoutSeconds: Double = 5

    /// The section's keys, as they appear in YAML.
    public enum Keys: String, CodingKey, CaseIterable {
        case leaseSeconds = "lease_seconds"
        case rescanSeconds = "rescan_seconds"
        case attempts
        case backoffSeconds = "backoff_seconds"
        case maximumBackoffSeconds = "maximum_backoff_seconds"
        case pollMilliseconds = "poll_milliseconds"
        case highWaterMark = "high_water_mark"
        case sendTimeoutSeconds = "send_timeout_seconds"

        /// The dotted key errors name, e.g. `runtime.lease_seconds`.
        public var option: String { "\(RuntimeSettings.section).\(rawValue)" }
    }

    /// Where the section sits in the configuration.
    public static let section = "runtime"

    /// The defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(Keys.self)
        let container = try decoder.container(keyedBy: Keys.self)
        let defaults = RuntimeSettings()
        leaseSeconds = try container.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? defaults.leaseSeconds
        rescanSeconds = try container.decodeIfPresent(Double.self, forKey: .rescanSeconds) ?? defaults.rescanSeconds
        attempts = try container.decodeIfPresent(Int.self, forKey: .attempts) ?? defaults.attempts
        backoffSeconds = try container.decodeIfPresent(Double.self, forKey: .backoffSeconds) ?? defaults.backoffSeconds
        maximumBackoffSeconds = try container.decodeIfPresent(Double.self, forKey: .maximumBackoffSeconds)
            ?? defaults.maximumBackoffSeconds
        pollMilliseconds = try container.decodeIfPresent(Int.self, forKey: .pollMilliseconds) ?? defaults.pollMilliseconds
        highWaterMark = try container.decodeIfPresent(Int.self, forKey: .highWaterMark) ?? defaults.highWaterMark
        sendTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .sendTimeoutSeconds)
            ?? defaults.sendTimeoutSeconds
    }

    /// Ranges; the error names the key relative to the section. Times are
    /// capped at a day, which no sensible setting reaches.
    public func validate() throws {
        try requireSeconds(leaseSeconds, .leaseSeconds, above: 0)
        try requireSeconds(rescanSeconds, .rescanSeconds, above: 0)
        try require(attempts >= 1, key: Keys.attempts.rawValue, "must be ≥ 1, got \(attempts)")
        try requireSeconds(backoffSeconds, .backoffSeconds, above: nil)
        try requireSeconds(maximumBackoffSeconds, .maximumBackoffSeconds, above: nil)
        try require(maximumBackoffSeconds >= backoffSeconds, key: Keys.maximumBackoffSeconds.rawValue,
                    "must be ≥ backoff_seconds (\(backoffSeconds)), got \(maximumBackoffSeconds)")
        try require((1...86_400_000).contains(pollMilliseconds), key: Keys.pollMilliseconds.rawValue,
                    "must be 1…86400000, got \(pollMilliseconds)")
        try require(highWaterMark >= 1, key: Keys.highWaterMark.rawValue, "must be ≥ 1, got \(highWaterMark)")
        try requireSeconds(sendTimeoutSeconds, .sendTimeoutSeconds, above: nil)
    }

    /// `value` > `above` (or ≥ 0 when nil) and at most a day.
    private func requireSeconds(_ value: Double, _ key: Keys, above lower: Double?) throws {
        let low = lower.map { value > $0 } ?? (value >= 0)
        try require(low && value <= 86_400, key: key.rawValue,
                    "must be \(lower == nil ? "≥ 0" : "> 0") and ≤ 86400 seconds, got \(value)")
    }
}
