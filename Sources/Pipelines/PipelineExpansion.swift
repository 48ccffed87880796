import Configuration
import Foundation

extension PipelineDefinition {
    /// The host to run when the operator names `requested` (or none): the
    /// named one, or the only one.
    ///
    /// - Throws: ``PipelineError`` for an unknown host, or for no host named
    ///   when the pipeline has several.
    public func resolveHost(_ requested: String?) throws -> String {
        let names = hosts.map(\.name).joined(separator: ", ")
        guard let requested else {
            guard hosts.count == 1 else {
                throw PipelineError(file: file, key: "hosts",
                                    problem: "the pipeline spans hosts \(names); name this one with --host")
            }
            return hosts[0].name
        }
        guard hosts.contains(where: { $0.name == requested }) else {
            throw PipelineError(file: file, key: "hosts", problem: "has no host '\(requested)' (hosts: \(names))")
        }
        return requested
    }

    /// Every instance of the pipeline with its name, in file order: the
    /// `n`-th instance of a stage kind, counted over all entries and hosts,
    /// is `<kind>-<n>`, so names are unique across the whole run.
    public func instances() -> [(group: StageGroup, ordinal: Int, name: String)] {
        var counts: [StageKind: Int] = [:]
        var result: [(StageGroup, Int, String)] = []
        for group in stages {
            for ordinal in 0..<group.instances {
                counts[group.kind, default: 0] += 1
                result.append((group, ordinal, "\(group.kind.rawValue)-\(counts[group.kind]!)"))
            }
        }
        return result
    }

    /// The input endpoints of every instance that consumes what `kind`
    /// produces, on any host, as a PUSH socket on `kind` connects to them.
    public func downstreamEndpoints(of kind: StageKind) -> [String] {
        stages.filter { $0.kind.inputStatus == kind.outputStatus }.flatMap { group in
            let address = self.address(of: group.host) ?? group.host
            return group.inputPorts.map { Endpoint.connect(address: address, port: $0) }
        }
    }

    /// The processes to start on `context.host`, with their command lines
    /// (the contract in `StageRuntime/RuntimeOptions.swift`).
    ///
    /// Configuration layers, first to last: `config/nocturne.yaml` (read by
    /// the stage), the pipeline's `config:`, the entry's `config:`, the
    /// operator's `--config` files, the operator's `--set` pairs.
    ///
    /// - Throws: ``PipelineError`` when an overlay does not merge.
    public func launches(_ context: LaunchContext) throws -> [Launch] {
        try instances().filter { $0.group.host == context.host }.map { group, ordinal, name in
            let address = self.address(of: group.host) ?? group.host
            var arguments = ["--run-id", context.runID.uuidString.lowercased(), "--instance", name]
            if !group.inputPorts.isEmpty {
                arguments += ["--input", Endpoint.bind(address: address, port: group.inputPorts[ordinal])]
            }
            for endpoint in downstreamEndpoints(of: group.kind) { arguments += ["--output", endpoint] }
            if let publish = group.publish { arguments += ["--publish", publish] }
            if !group.metricsPorts.isEmpty { arguments += ["--metrics-port", String(group.metricsPorts[ordinal])] }
            if let archive = context.archive { arguments += ["--archive", archive] }
            if group.kind == .ingest, let watch = context.watch ?? group.watch { arguments += ["--watch", watch] }
            let configFile = try overlayFile(for: group, instance: name, in: context.configDirectory)
            if let configFile { arguments += ["--config", configFile.path] }
            for file in context.configFiles { arguments += ["--config", file] }
            for pair in context.overrides { arguments += ["--set", pair] }
            return Launch(instance: name, kind: group.kind, host: group.host, executable: group.kind.executableName,
                          arguments: arguments, environment: context.environment, configFile: configFile)
        }
    }

    /// The pipeline's and the entry's overlays merged into one file, or nil
    /// when neither exists.
    private func overlayFile(for group: StageGroup, instance: String, in directory: URL) throws -> ConfigFile? {
        guard config != nil || group.config != nil else { return nil }
        var document = ConfigDocument()
        do {
            if let config { try document.overlay(yaml: config, source: "\(file): config") }
            if let own = group.config { try document.overlay(yaml: own, source: "\(file): \(group.keyPath).config") }
            let path = directory.appendingPathComponent("\(instance).yaml").path
            return ConfigFile(path: path, yaml: try document.serialized())
        } catch {
            throw PipelineError(file: file, key: "\(group.keyPath).config", problem: "\(error)", line: group.line)
        }
    }
}
