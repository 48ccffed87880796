import Logging
import ServiceLifecycle

/// Runs one ``StageWorker`` as a long-lived service: receive, claim, process,
/// commit, send, with retries, rescans, metrics and graceful shutdown.
///
/// The work is blocking (libpq, libzmq, image processing), so it runs on a
/// dedicated thread; ``run()`` awaits that thread. A graceful shutdown
/// (SIGTERM through a `ServiceGroup`) or a cancellation sets a flag the loop
/// reads between items and at every poll timeout: the item in flight
/// finishes, commits and sends, then `run()` returns.
///
/// Guarantees, with the database as the truth:
/// - an item's writes and its advance to the output status commit in one
///   transaction, and its messages are sent only after that commit;
/// - an item is processed by one instance at a time (a lease in
///   `observation_progress`), and a redelivered message changes nothing;
/// - work left at the input status (a crash, a lost message) is found by the
///   rescan at start and every rescan interval;
/// - a failing item is retried with backoff, then marked failed with its
///   error, and the stage goes on; a lost database connection is waited out
///   and does not count as a try.
public struct StageService<Worker: StageWorker>: Service {
    /// The stage's pure core.
    public let worker: Worker
    /// Where and how it runs; validated by `init`.
    public let configuration: RuntimeConfiguration
    /// What the instance reports, for `/health` and for callers.
    public let health: StageHealth
    private let logger: Logger

    /// A service for `worker`; the configuration's stage name is replaced
    /// by the worker's.
    ///
    /// - Parameter logger: receives the runtime's logs, with the stage,
    ///   instance and run as metadata (and each item's observation and trace).
    /// - Throws: ``RuntimeError`` for an invalid configuration.
    public init(worker: Worker, configuration: RuntimeConfiguration, logger: Logger = Logger(label: "nocturne.stage")) throws {
        var configuration = configuration
        configuration.stage = worker.name
        try configuration.validate()
        self.worker = worker
        self.configuration = configuration
        self.health = StageHealth(configuration: configuration)
        self.logger = logger.withRuntimeMetadata(configuration)
    }

    /// Runs until a graceful shutdown or cancellation, then returns after
    /// the item in flight is committed and sent.
    /// - Throws: a socket that cannot be set up (e.g. the input endpoint in use).
    public func run() async throws {
        let (worker, configuration, health, logger) = (worker, configuration, health, logger)
        try await BlockingThread.runUntilShutdown(name: "nocturne-\(configuration.instance)", logger: logger,
                                                  onShutdown: "shutdown requested; finishing the item in flight") { stop in
            try StageLoop(worker: worker, configuration: configuration, stop: stop, health: health, logger: logger).run()
        }
    }
}

extension Logger {
    /// This logger with the stage, instance and run as metadata.
    func withRuntimeMetadata(_ configuration: RuntimeConfiguration) -> Logger {
        var logger = self
        logger[metadataKey: "stage"] = "\(configuration.stage)"
        logger[metadataKey: "instance"] = "\(configuration.instance)"
        logger[metadataKey: "run"] = "\(configuration.runID)"
        return logger
    }
}
