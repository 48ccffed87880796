import Configuration
import Foundation

/// One process to start: a stage instance with its full command line.
public struct Launch: Sendable, Equatable {
    /// The instance's name, unique in the run (`preprocess-2`): the stage's
    /// lease owner, and the name of its log file.
    public var instance: String
    /// Which stage it runs.
    public var kind: StageKind
    /// The host it runs on.
    public var host: String
    /// The executable's file name (`nocturne-preprocess`), found by the supervisor.
    public var executable: String
    /// The arguments after the executable's name.
    public var arguments: [String]
    /// Variables added to the supervisor's own environment for this process.
    public var environment: [String: String]
    /// A configuration overlay the supervisor writes before the start; the
    /// arguments already pass its path with `--config`.
    public var configFile: ConfigFile?

    public init(instance: String, kind: StageKind, host: String, executable: String, arguments: [String],
                environment: [String: String] = [:], configFile: ConfigFile? = nil) {
        self.instance = instance
        self.kind = kind
        self.host = host
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.configFile = configFile
    }
}

/// A YAML file to write for a launch: the pipeline's and the entry's config
/// overlays, merged.
public struct ConfigFile: Sendable, Equatable {
    /// Where to write it.
    public var path: String
    /// What to write.
    public var yaml: String

    public init(path: String, yaml: String) {
        self.path = path
        self.yaml = yaml
    }
}

/// What a pipeline's processes share beyond the definition: the run, the
/// operator's options, and where generated files go.
public struct LaunchContext: Sendable {
    /// The run every instance works for.
    public var runID: UUID
    /// The host whose processes are wanted (a name from `hosts:`).
    public var host: String
    /// The folder the per-instance config overlays are written to.
    public var configDirectory: URL
    /// `--archive` for every stage, when given.
    public var archive: String?
    /// `--watch` for ingest, overriding the definition's `watch:`.
    public var watch: String?
    /// The operator's `--config` files, applied after the pipeline's overlays.
    public var configFiles: [String]
    /// The operator's `--set key=value` pairs, applied last.
    public var overrides: [String]
    /// Variables every process gets (the database URL, for one).
    public var environment: [String: String]

    public init(runID: UUID, host: String, configDirectory: URL, archive: String? = nil, watch: String? = nil,
                configFiles: [String] = [], overrides: [String] = [], environment: [String: String] = [:]) {
        self.runID = runID
        self.host = host
        self.configDirectory = configDirectory
        self.archive = archive
        self.watch = watch
        self.configFiles = configFiles
        self.overrides = overrides
        self.environment = environment
    }
}
