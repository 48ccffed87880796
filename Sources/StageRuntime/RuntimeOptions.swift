import ArgumentParser
import Configuration
import Database
import Foundation

/// The command line every stage executable takes: the contract between the
/// supervisor (`nocturne run`), which starts the stages of a pipeline, and
/// the runtime. Include it in a command with `@OptionGroup`.
///
/// ```
/// nocturne-preprocess --run-id 5f0c…  --instance preprocess-2 --input tcp://*:5611 \
///     --output tcp://127.0.0.1:5621 --output tcp://10.0.0.7:5621 --metrics-port 9611 \
///     --archive /srv/nocturne/archive --config pipelines/night.yaml --set runtime.attempts=5
/// ```
///
/// The database comes from `NOCTURNE_DATABASE_URL` (required), never from the
/// command line, so a password never shows in `ps`.
public struct RuntimeOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("run-id"), help: "The run this stage works for (a UUID from `runs`).",
            transform: RuntimeOptions.parseUUID)
    public var runID: UUID

    @Option(name: .customLong("instance"), help: "This instance's name, unique in the run (default: <stage>-1).")
    public var instance: String?

    @Option(name: .customLong("input"), help: "Endpoint the input PULL socket binds, e.g. tcp://*:5611.")
    public var input: String?

    @Option(name: .customLong("output"),
            help: "Endpoint of a next-stage instance to PUSH to (repeatable: connect to every instance).")
    public var outputs: [String] = []

    @Option(name: .customLong("publish"), help: "Endpoint a PUB socket binds for subscribers (the alert stage).")
    public var publish: String?

    @Option(name: .customLong("metrics-port"),
            help: "Port for GET /metrics and GET /health (0: any free port; omit: no HTTP server).")
    public var metricsPort: Int?

    @Option(name: .customLong("archive"), help: "Folder for products written and read back.")
    public var archive: String = ".nocturne/archive"

    @Option(name: .customLong("watch"), help: "Folder a source watches for new files (ingest).")
    public var watch: String?

    @Option(name: .customLong("config"), help: "A YAML file overlaid on config/nocturne.yaml (repeatable).")
    public var configFiles: [String] = []

    @Option(name: .customLong("set"), help: "Override one config key, e.g. --set runtime.attempts=5 (repeatable).")
    public var overrides: [String] = []

    public init() {}

    public func validate() throws {
        for item in overrides where !item.contains("=") {
            throw ValidationError("--set needs key=value, got '\(item)'")
        }
    }

    /// The merged configuration: `config/nocturne.yaml` (found by
    /// `ResourceLocator`), then each `--config` file, then each `--set`.
    /// A stage decodes its own section from it; the runtime reads `runtime:`.
    ///
    /// - Throws: `ConfigurationError` naming the file or key at fault.
    public func configDocument() throws -> ConfigDocument {
        var document = ConfigDocument()
        let defaults = try ResourceLocator.configDirectory().appendingPathComponent("nocturne.yaml")
        if FileManager.default.fileExists(atPath: defaults.path) { try document.overlay(file: defaults) }
        for file in configFiles { try document.overlay(file: URL(fileURLWithPath: file)) }
        for item in overrides {
            guard let equals = item.firstIndex(of: "=") else {
                throw RuntimeError.invalidOption("--set", "needs key=value, got '\(item)'")
            }
            try document.set(String(item[..<equals]), to: String(item[item.index(after: equals)...]))
        }
        return document
    }

    /// The runtime configuration for `stage`, with the tunables of
    /// `document`'s `runtime:` section and the database from the environment.
    ///
    /// - Throws: ``RuntimeError`` naming the option at fault (including an
    ///   unset `NOCTURNE_DATABASE_URL`), `ConfigurationError` for a bad
    ///   `runtime:` key.
    public func configuration(
        stage: String, document: ConfigDocument,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RuntimeConfiguration {
        let url = environment[DatabaseLocation.environmentVariable]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !url.isEmpty else { throw RuntimeError.missingDatabaseURL }
        var configuration = RuntimeConfiguration(
            stage: stage, instance: instance, runID: runID, input: input, outputs: outputs, publish: publish,
            metricsPort: metricsPort, archive: URL(fileURLWithPath: archive, isDirectory: true),
            watch: watch.map { URL(fileURLWithPath: $0, isDirectory: true) }, databaseURL: url)
        configuration.apply(try document.section(RuntimeSettings.self, at: RuntimeSettings.section))
        try configuration.validate()
        return configuration
    }

    @Sendable
    static func parseUUID(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw ValidationError("'\(text)' is not a UUID") }
        return id
    }
}
