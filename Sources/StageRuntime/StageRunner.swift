import Configuration
import Logging
import ServiceLifecycle

/// The entry point stage executables call: it builds the services (the stage,
/// and the metrics server when a port is given) in one `ServiceGroup` and
/// runs them until SIGTERM or SIGINT, which shut down gracefully (the item
/// in flight commits and is sent first). A second signal does not force
/// anything; the supervisor's kill does.
///
/// ```swift
/// let options = try RuntimeOptions.parse()
/// let document = try options.configDocument()
/// let worker = PreprocessWorker(settings: try document.section(PreprocessSettings.self, at: "preprocess"))
/// try await StageRunner.run(worker: worker, options: options, document: document)
/// ```
public enum StageRunner {
    /// Runs `worker` as configured by the command line and `document` (the
    /// merged configuration; read from `options` when nil).
    /// - Throws: ``RuntimeError`` or `ConfigurationError` naming the option or
    ///   key at fault before anything starts; a socket that cannot be set up.
    /// - Parameter background: loops to run beside the stage (given the
    ///   configuration, for the database URL and run), e.g. alert dispatchers.
    public static func run<W: StageWorker>(worker: W, options: RuntimeOptions, document: ConfigDocument? = nil,
                                           logger: Logger = Logger(label: "nocturne.stage"),
                                           background: (RuntimeConfiguration) -> [BackgroundLoop] = { _ in [] }) async throws {
        let configuration = try options.configuration(stage: worker.name, document: document ?? options.configDocument())
        try await run(worker: worker, configuration: configuration, logger: logger, background: background(configuration))
    }

    /// Runs `worker` with a ready configuration.
    public static func run<W: StageWorker>(worker: W, configuration: RuntimeConfiguration,
                                           logger: Logger = Logger(label: "nocturne.stage"),
                                           background: [BackgroundLoop] = []) async throws {
        let service = try StageService(worker: worker, configuration: configuration, logger: logger)
        try await runGroup(service, health: service.health, configuration: service.configuration, logger: logger,
                           background: background)
    }

    /// Runs the source `worker` as configured by the command line and `document`.
    public static func run<W: SourceWorker>(source worker: W, options: RuntimeOptions, document: ConfigDocument? = nil,
                                            logger: Logger = Logger(label: "nocturne.source")) async throws {
        let configuration = try options.configuration(stage: worker.name, document: document ?? options.configDocument())
        try await run(source: worker, configuration: configuration, logger: logger)
    }

    /// Runs the source `worker` with a ready configuration.
    public static func run<W: SourceWorker>(source worker: W, configuration: RuntimeConfiguration,
                                            logger: Logger = Logger(label: "nocturne.source")) async throws {
        let service = try SourceService(worker: worker, configuration: configuration, logger: logger)
        try await runGroup(service, health: service.health, configuration: service.configuration, logger: logger)
    }

    private static func runGroup(_ stage: any Service, health: StageHealth, configuration: RuntimeConfiguration,
                                 logger: Logger, background: [BackgroundLoop] = []) async throws {
        RuntimeMetrics.bootstrap()
        var services: [any Service] = background
        if let port = configuration.metricsPort {
            services.append(MetricsServer(port: port, health: health, logger: logger.withRuntimeMetadata(configuration)))
        }
        // Last in, first out: on shutdown the stage stops before /health does.
        var configurations = services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        // A stage returns on a stop; a source also when exhausted: either way
        // the group (the metrics server) shuts down gracefully, not as a failure.
        configurations.append(.init(service: stage, successTerminationBehavior: .gracefullyShutdownGroup))
        var group = ServiceGroupConfiguration(services: configurations, logger: logger)
        group.gracefulShutdownSignals = [.sigterm, .sigint]
        try await ServiceGroup(configuration: group).run()
    }
}
