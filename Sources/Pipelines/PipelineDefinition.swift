/// A pipeline as its YAML file defines it (see `docs/pipelines.md`): which
/// stages run, how many instances of each, on which host, on which ports,
/// with which configuration overlay.
///
/// Built by ``PipelineLoader`` and checked by ``PipelineValidator``; a value
/// that came out of ``PipelineLoader/load(file:)`` has passed both.
public struct PipelineDefinition: Sendable, Equatable {
    /// The pipeline's name (`pipeline:`), for logs and the run record.
    public var name: String
    /// Where the definition came from, named in every error.
    public var file: String
    /// Host name → address (an IP address or a DNS name), in file order.
    public var hosts: [Host]
    /// The stage entries, in file order.
    public var stages: [StageGroup]
    /// The top-level `config:` overlay as YAML text, applied to every stage
    /// before the stage's own overlay; nil when absent.
    public var config: String?

    /// A definition; normally made by ``PipelineLoader``.
    public init(name: String, file: String, hosts: [Host], stages: [StageGroup], config: String? = nil) {
        self.name = name
        self.file = file
        self.hosts = hosts
        self.stages = stages
        self.config = config
    }

    /// The address of host `name`, or nil.
    public func address(of name: String) -> String? {
        hosts.first { $0.name == name }?.address
    }

    /// The stage kinds present, in chain order.
    public var kinds: [StageKind] {
        Array(Set(stages.map(\.kind))).sorted()
    }

    /// The statuses at which an item of a run of this pipeline has nowhere
    /// further to go: `failed`, and the output of every stage whose output no
    /// stage here consumes (`alerted` for a full chain).
    public var terminalStatuses: Set<String> {
        let consumed = Set(stages.compactMap(\.kind.inputStatus))
        return Set(stages.map(\.kind.outputStatus)).subtracting(consumed).union(["failed"])
    }
}

/// One entry of `hosts:`: a machine of a multi-host pipeline.
public struct Host: Sendable, Equatable {
    /// The name stages refer to with `host:`.
    public var name: String
    /// Where other hosts reach it: an IP address or a DNS name.
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}

/// One entry of `stages:`: `instances` processes of one stage kind on one host.
public struct StageGroup: Sendable, Equatable {
    /// Which stage runs.
    public var kind: StageKind
    /// The entry's position in `stages:` (0-based), for error key paths.
    public var index: Int
    /// How many processes run this entry (≥ 1).
    public var instances: Int
    /// The host they run on (a name from `hosts:`).
    public var host: String
    /// The TCP port each instance's input PULL socket binds, one per instance;
    /// empty for ingest, which has no input.
    public var inputPorts: [Int]
    /// The port of each instance's /health and /metrics server, one per
    /// instance; empty when the entry gives no `metrics_port`.
    public var metricsPorts: [Int]
    /// The endpoint the alert stage's PUB socket binds (`publish:`), e.g.
    /// `tcp://*:5670`; nil for other stages or when absent.
    public var publish: String?
    /// The folder ingest watches when `nocturne run` gives no `--watch`.
    public var watch: String?
    /// The entry's `config:` overlay as YAML text; nil when absent.
    public var config: String?
    /// The entry's 1-based line in the file, for errors; nil when unknown.
    public var line: Int?

    public init(kind: StageKind, index: Int, instances: Int, host: String, inputPorts: [Int] = [],
                metricsPorts: [Int] = [], publish: String? = nil, watch: String? = nil, config: String? = nil,
                line: Int? = nil) {
        self.kind = kind
        self.index = index
        self.instances = instances
        self.host = host
        self.inputPorts = inputPorts
        self.metricsPorts = metricsPorts
        self.publish = publish
        self.watch = watch
        self.config = config
        self.line = line
    }

    /// The key path of this entry in the file, e.g. `stages[2]`.
    public var keyPath: String { "stages[\(index)]" }
}
