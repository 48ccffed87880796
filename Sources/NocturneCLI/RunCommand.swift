import ArgumentParser
import BuildInfo
import Foundation
import Pipelines
import Store
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// `nocturne run PIPELINE.yaml`: starts this host's share of a pipeline's
/// stage processes and supervises them until a signal, until the run is
/// idle (`--until-idle`), or until an instance keeps failing. The work is in
/// `Pipelines` (what to start) and `Supervisor` (starting and keeping it up).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline's stage processes on this host and supervise them.",
        discussion: """
            The pipeline file names the stages, their instances, hosts and ports (docs/pipelines.md). \
            Each instance's output goes to LOG-DIR/<instance>.log. SIGINT or SIGTERM stops the stages \
            gracefully (SIGTERM, then SIGKILL after --grace-seconds) and exits 0.
            """)

    @Argument(help: "The pipeline definition, e.g. pipelines/local.yaml.")
    var pipeline: String

    @Option(help: "Folder the ingest stage watches for new FITS files.")
    var watch: String?

    @Option(help: "Folder for the stages' products (passed to every stage).")
    var archive: String?

    @Option(name: .customLong("run-id"), help: "Join this existing run instead of creating one.")
    var runID: String?

    @Option(help: "This machine's name in the pipeline's hosts: (needed when it has several).")
    var host: String?

    @Flag(name: .customLong("until-idle"), help: "Stop once every item is alerted or failed and nothing changed for --idle-seconds.")
    var untilIdle = false

    @Option(name: .customLong("idle-seconds"), help: "Quiet time before --until-idle stops the run.")
    var idleSeconds: Int = 10

    @Option(name: .customLong("max-restarts"), help: "Restarts of one instance within 10 minutes before giving up.")
    var maxRestarts: Int = 5

    @Option(name: .customLong("grace-seconds"), help: "Time stopping stages get to finish their item before SIGKILL.")
    var graceSeconds: Int = 30

    @Option(name: .customLong("log-dir"), help: "Folder for the instances' logs (default .nocturne/logs/<run-id>).")
    var logDirectory: String?

    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard idleSeconds >= 0, maxRestarts >= 0, graceSeconds >= 0 else {
            throw ValidationError("--idle-seconds, --max-restarts and --grace-seconds cannot be negative")
        }
        if let runID, UUID(uuidString: runID) == nil { throw ValidationError("--run-id: '\(runID)' is not a UUID") }
    }

    func run() throws {
        let logger = CommandLogging.logger("nocturne.run")
        let definition = try Self.pipelineFailure { try PipelineLoader.load(file: URL(fileURLWithPath: pipeline)) }
        let hostName = try Self.pipelineFailure { try definition.resolveHost(host) }
        try Self.requirePortsFree(definition, host: hostName)
        let document = try options.document(overlays: definition.config.map { [($0, "\(pipeline): config")] } ?? [])
        let context = try DatabaseContext.open(logger: logger)
        let run = try openRun(context.store, snapshot: try document.jsonSnapshot())
        print("run \(run.uuidString.lowercased())")
        fflush(nil)  // the run id first, even into a pipe: an operator joining other hosts needs it now

        let logs = logDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? SupervisorOptions.defaultLogDirectory(runID: run)
        let launches = try Self.pipelineFailure {
            try definition.launches(LaunchContext(
                runID: run, host: hostName, configDirectory: logs.appendingPathComponent("config", isDirectory: true),
                archive: archive, watch: watch, configFiles: options.config, overrides: options.overrides,
                environment: ["NOCTURNE_DATABASE_URL": try context.location.connectionURL()]))
        }
        guard !launches.isEmpty else { throw CommandFailure("\(pipeline): no stage runs on host '\(hostName)'") }

        let console = Console()
        let supervisor = Supervisor(
            launches: launches,
            options: SupervisorOptions(binDirectory: SupervisorOptions.defaultBinDirectory(), logDirectory: logs,
                                       restart: RestartPolicy(maxRestarts: maxRestarts), grace: .seconds(graceSeconds)),
            console: console)
        let monitor = RunMonitor(store: context.store, runID: run, definition: definition, console: console,
                                 untilIdle: untilIdle, idleSeconds: Double(idleSeconds))
        let trap = SignalTrap { signal in
            console.message("\(SignalTrap.name(of: signal)) received; stopping the stages")
            supervisor.requestStop()
        }
        defer { trap.cancel() }
        console.message("starting \(launches.count) process(es) of \(definition.name) on host \(hostName); logs in \(logs.path)")
        let outcome = try supervisor.run { monitor.check(restarts: $0) }
        console.finishStatus()
        try finish(outcome, run: run, store: context.store)
    }

    /// Refuses to start when a port the host's stages bind is taken, naming
    /// each: two pipelines on the same ports would pass each other's messages.
    static func requirePortsFree(_ definition: PipelineDefinition, host: String) throws {
        let busy = definition.portsInUse(host: host)
        guard !busy.isEmpty else { return }
        throw CommandFailure("\(definition.file): already in use on this machine: "
                             + busy.map { "port \($0.port) (\($0.key))" }.joined(separator: ", ")
                             + ". Another pipeline or replay with these ports is running: wait for it or stop it, "
                             + "or give a pipeline file with other ports")
    }

    /// Creates the run, or checks that the one named by `--run-id` is open.
    private func openRun(_ store: PipelineStore, snapshot: String) throws -> UUID {
        if let runID, let id = UUID(uuidString: runID) {
            guard let record = try store.run(id) else { throw CommandFailure("--run-id: no run \(runID)") }
            guard record.finishedAt == nil else {
                throw CommandFailure("--run-id: run \(runID) is already \(record.status); start a new run")
            }
            return id
        }
        let source = watch.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        return try store.createRun(kind: .live, codeVersion: BuildInfo.codeVersion, config: snapshot, source: source)
    }

    private func finish(_ outcome: Supervisor.Outcome, run: UUID, store: PipelineStore) throws {
        let id = run.uuidString.lowercased()
        switch outcome {
        case .stopped:
            print("run \(id) stopped; it stays open: continue it with --run-id \(id)")
        case .finished:
            try store.finishRun(run)
            print(try RunSummary.render(store: store, runID: run))
            print("\nrun \(id) completed")
        case .gaveUp(let instance, let log):
            throw CommandFailure("\(instance) kept exiting; stopped the pipeline (run \(id) stays open). See \(log.path)")
        }
    }

    /// Turns a ``PipelineError`` into a command failure with its message.
    static func pipelineFailure<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PipelineError {
            throw CommandFailure(error.description)
        }
    }
}
