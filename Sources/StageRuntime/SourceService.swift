import Logging
import ServiceLifecycle

/// Runs one ``SourceWorker`` (ingest) as a long-lived service: it polls the
/// worker every poll interval, commits each result in its own transaction
/// (with the item's progress row), then sends its messages.
///
/// Like ``StageService`` it works on a dedicated thread, waits out database
/// outages (reconnecting with backoff, nothing counted against the items),
/// and on graceful shutdown commits and sends the results in hand before
/// ``run()`` returns. A source takes no input: `--input` is refused.
public struct SourceService<Worker: SourceWorker>: Service {
    /// The source's core.
    public let worker: Worker
    /// Where and how it runs; validated by `init`.
    public let configuration: RuntimeConfiguration
    /// What the instance reports, for `/health` and for callers.
    public let health: StageHealth
    private let logger: Logger

    /// A service for `worker`; the configuration's stage name is replaced
    /// by the worker's.
    /// - Throws: ``RuntimeError`` for an invalid configuration, or an input endpoint.
    public init(worker: Worker, configuration: RuntimeConfiguration, logger: Logger = Logger(label: "nocturne.source")) throws {
        var configuration = configuration
        configuration.stage = worker.name
        try configuration.validate()
        if let input = configuration.input {
            throw RuntimeError.invalidOption("--input", "\(worker.name) is a source and takes no input, got \(input)")
        }
        self.worker = worker
        self.configuration = configuration
        self.health = StageHealth(configuration: configuration)
        self.logger = logger.withRuntimeMetadata(configuration)
    }

    /// Runs until a graceful shutdown or cancellation, then returns after
    /// the results in hand are committed and sent.
    public func run() async throws {
        let (worker, configuration, health, logger) = (worker, configuration, health, logger)
        try await BlockingThread.runUntilShutdown(name: "nocturne-\(configuration.instance)", logger: logger,
                                                  onShutdown: "shutdown requested; committing the results in hand") { stop in
            try SourceLoop(worker: worker, configuration: configuration, stop: stop, health: health, logger: logger).run()
        }
    }
}
