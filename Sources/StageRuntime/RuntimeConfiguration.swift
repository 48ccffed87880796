import Foundation

/// Everything one stage instance needs to run: who it is, where its messages
/// come from and go, where the database and archive are, and how patient it
/// is. Built from the command line by ``RuntimeOptions`` (the supervisor's
/// contract) or directly, as tests do; checked by ``validate()`` before
/// anything starts.
public struct RuntimeConfiguration: Sendable {
    /// The stage's name in logs, metrics, leases and timestamps, e.g. `preprocess`.
    public var stage: String
    /// This instance's name, unique within a run, e.g. `preprocess-2`. It is
    /// the lease owner: a restarted instance of the same name resumes the
    /// items it held at once instead of waiting for their leases to expire.
    public var instance: String
    /// The run whose items the rescan looks for.
    public var runID: UUID
    /// Where the input PULL socket binds, e.g. `tcp://*:5611`; nil for a
    /// source, or for a stage that works from the database alone.
    public var input: String?
    /// Where the output PUSH socket connects: every instance of the next
    /// stage (work is spread round-robin over those connected). Empty for the
    /// last stage.
    public var outputs: [String]
    /// Where a PUB socket binds for ``WorkResult/published`` (the alert
    /// stage's fan-out); nil for none.
    public var publish: String?
    /// TCP port for `GET /metrics` and `GET /health` on all interfaces; nil
    /// for no HTTP server, 0 for an ephemeral port (logged once bound).
    public var metricsPort: Int?
    /// Where products are written and read back (``WorkContext/archive``).
    public var archive: URL
    /// For a source that watches a folder (ingest): the folder. The runtime
    /// only carries it to the worker's builder.
    public var watch: URL?
    /// The PostgreSQL URL (`NOCTURNE_DATABASE_URL`). Never logged: logs name
    /// only the host and database.
    public var databaseURL: String

    /// How long a claimed item is held before another instance may take it
    /// [300 s]. Longer than the slowest item, or a slow item is done twice
    /// (the second commit is refused by the lease check, so only time is lost).
    public var leaseDuration: Duration = .seconds(300)
    /// How often the database is searched for unclaimed work at the input
    /// status [5 s]; also done once at start.
    public var rescanInterval: Duration = .seconds(5)
    /// Tries per item, the first included, before it is marked failed [3].
    /// A lost database connection does not count as a try.
    public var maxAttempts: Int = 3
    /// Wait before the second try [1 s]; it doubles for each further try and
    /// for each further database reconnect, up to ``maximumBackoff``.
    public var retryBackoff: Duration = .seconds(1)
    /// Longest wait between tries or reconnects [30 s].
    public var maximumBackoff: Duration = .seconds(30)
    /// Longest a wait for input lasts before the loop checks for shutdown
    /// and a due rescan [250 ms]; a source polls its worker this often.
    public var pollTimeout: Duration = .milliseconds(250)
    /// Messages queued per peer on the output and input sockets [4]. Messages
    /// carry 16–100 MB of pixels, so a small queue bounds memory.
    public var highWaterMark: Int = 4
    /// How long a send waits for queue space before giving the message up
    /// [5 s]; the next stage's rescan then finds the work in the database.
    public var sendTimeout: Duration = .seconds(5)

    /// A configuration with the defaults above.
    public init(stage: String, instance: String? = nil, runID: UUID, input: String? = nil, outputs: [String] = [],
                publish: String? = nil, metricsPort: Int? = nil,
                archive: URL = URL(fileURLWithPath: ".nocturne/archive", isDirectory: true), watch: URL? = nil,
                databaseURL: String) {
        self.stage = stage
        self.instance = instance ?? "\(stage)-1"
        self.runID = runID
        self.input = input
        self.outputs = outputs
        self.publish = publish
        self.metricsPort = metricsPort
        self.archive = archive
        self.watch = watch
        self.databaseURL = databaseURL
    }

    /// Checks every value; the error names the option (or config key) at fault.
    public func validate() throws {
        try check(Self.isName(stage), "stage name", "must be a non-empty name without spaces, got '\(stage)'")
        try check(Self.isName(instance), "--instance", "must be a non-empty name without spaces, got '\(instance)'")
        if let input { try Self.checkEndpoint(input, option: "--input") }
        for output in outputs { try Self.checkEndpoint(output, option: "--output") }
        if let publish { try Self.checkEndpoint(publish, option: "--publish") }
        if let metricsPort {
            try check((0...65_535).contains(metricsPort), "--metrics-port", "must be 0…65535 (0 picks a free port), got \(metricsPort)")
        }
        try check(!archive.path.isEmpty, "--archive", "must name a folder")
        try check(!databaseURL.trimmingCharacters(in: .whitespaces).isEmpty, "NOCTURNE_DATABASE_URL", "is empty")
        try check(leaseDuration > .zero, RuntimeSettings.Keys.leaseSeconds.option, "must be > 0, got \(leaseDuration)")
        try check(rescanInterval > .zero, RuntimeSettings.Keys.rescanSeconds.option, "must be > 0, got \(rescanInterval)")
        try check(maxAttempts >= 1, RuntimeSettings.Keys.attempts.option, "must be ≥ 1, got \(maxAttempts)")
        try check(retryBackoff >= .zero, RuntimeSettings.Keys.backoffSeconds.option, "must be ≥ 0, got \(retryBackoff)")
        try check(maximumBackoff >= retryBackoff, RuntimeSettings.Keys.maximumBackoffSeconds.option,
                  "must be ≥ the base backoff (\(retryBackoff)), got \(maximumBackoff)")
        try check(pollTimeout > .zero, RuntimeSettings.Keys.pollMilliseconds.option, "must be > 0, got \(pollTimeout)")
        try check(highWaterMark >= 1, RuntimeSettings.Keys.highWaterMark.option, "must be ≥ 1, got \(highWaterMark)")
        try check(sendTimeout >= .zero, RuntimeSettings.Keys.sendTimeoutSeconds.option, "must be ≥ 0, got \(sendTimeout)")
    }

    /// Applies the tunables of a `runtime:` config section.
    public mutating func apply(_ settings: RuntimeSettings) {
        leaseDuration = .milliseconds(Int64((settings.leaseSeconds * 1000).rounded()))
        rescanInterval = .milliseconds(Int64((settings.rescanSeconds * 1000).rounded()))
        maxAttempts = settings.attempts
        retryBackoff = .milliseconds(Int64((settings.backoffSeconds * 1000).rounded()))
        maximumBackoff = .milliseconds(Int64((settings.maximumBackoffSeconds * 1000).rounded()))
        pollTimeout = .milliseconds(settings.pollMilliseconds)
        highWaterMark = settings.highWaterMark
        sendTimeout = .milliseconds(Int64((settings.sendTimeoutSeconds * 1000).rounded()))
    }

    private func check(_ condition: Bool, _ option: String, _ problem: @autoclosure () -> String) throws {
        if !condition { throw RuntimeError.invalidOption(option, problem()) }
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && !text.contains { $0.isWhitespace }
    }

    /// libzmq endpoints this runtime accepts: `tcp://host:port`, `ipc://path`
    /// and `inproc://name` (the last only within one process).
    static func checkEndpoint(_ endpoint: String, option: String) throws {
        let transports = ["tcp://", "ipc://", "inproc://"]
        guard let transport = transports.first(where: { endpoint.hasPrefix($0) }),
              endpoint.count > transport.count
        else {
            throw RuntimeError.invalidOption(
                option, "'\(endpoint)' is not a ZeroMQ endpoint; expected tcp://host:port, ipc://path or inproc://name")
        }
        if transport == "tcp://", !endpoint.dropFirst(transport.count).contains(":") {
            throw RuntimeError.invalidOption(option, "'\(endpoint)' names no port; expected tcp://host:port")
        }
    }
}
