import Foundation
import Yams

/// Reads a pipeline definition from YAML and validates it (see
/// `docs/pipelines.md` for the format). Every error names the file and the
/// key at fault.
public enum PipelineLoader {
    static let topKeys = ["pipeline", "hosts", "stages", "config"]
    static let stageKeys = ["stage", "instances", "host", "input_port", "input_ports", "metrics_port",
                            "publish", "watch", "config"]
    /// The host a pipeline without `hosts:` runs on.
    public static let defaultHost = Host(name: "local", address: "127.0.0.1")

    /// Loads and validates the definition in `file`.
    ///
    /// - Throws: ``PipelineError`` naming `file` and the key at fault.
    public static func load(file: URL) throws -> PipelineDefinition {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PipelineError(file: file.path, key: "", problem: "cannot read it: \(error.localizedDescription)")
        }
        return try load(yaml: text, file: file.path)
    }

    /// Loads and validates a definition from YAML text; `file` names it in errors.
    public static func load(yaml: String, file: String) throws -> PipelineDefinition {
        let definition = try parse(yaml: yaml, file: file)
        try PipelineValidator.validate(definition)
        return definition
    }

    /// Reads the YAML into a definition, checking shapes and types but not
    /// the relations between entries (``PipelineValidator`` does that).
    static func parse(yaml: String, file: String) throws -> PipelineDefinition {
        let reader = NodeReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw reader.error("", "is empty; a pipeline needs at least `pipeline:` and `stages:`")
            }
            root = node
        } catch let error as PipelineError {
            throw error
        } catch {
            throw reader.error("", "is not valid YAML: \(error)")
        }
        let top = try reader.mapping(root, at: "", allowed: topKeys)
        guard let nameNode = top["pipeline"] else { throw reader.error("pipeline", "is required (the pipeline's name)", root) }
        let name = try reader.string(nameNode, at: "pipeline")
        let hosts = try top["hosts"].map { try parseHosts($0, reader) } ?? [defaultHost]
        guard let stagesNode = top["stages"] else { throw reader.error("stages", "is required (a list of stage entries)", root) }
        let entries = try reader.sequence(stagesNode, at: "stages")
        guard !entries.isEmpty else { throw reader.error("stages", "must list at least one stage", stagesNode) }
        let stages = try entries.enumerated().map { index, node in
            try parseStage(node, index: index, hosts: hosts, reader)
        }
        let config = try top["config"].map { try reader.overlay($0, at: "config") }
        return PipelineDefinition(name: name, file: file, hosts: hosts, stages: stages, config: config)
    }

    private static func parseHosts(_ node: Node, _ reader: NodeReader) throws -> [Host] {
        guard let mapping = node.mapping, !mapping.isEmpty else {
            throw reader.error("hosts", "must map host names to addresses", node)
        }
        var hosts: [Host] = []
        for (key, value) in mapping {
            let name = try reader.string(key, at: "hosts")
            guard !hosts.contains(where: { $0.name == name }) else { throw reader.error("hosts.\(name)", "appears twice", key) }
            let address = try reader.string(value, at: "hosts.\(name)")
            guard !address.contains(where: { $0 == " " || $0 == "/" }) else {
                throw reader.error("hosts.\(name)", "must be an IP address or a host name, got '\(address)'", value)
            }
            hosts.append(Host(name: name, address: address))
        }
        return hosts
    }

    private static func parseStage(_ node: Node, index: Int, hosts: [Host], _ reader: NodeReader) throws -> StageGroup {
        let path = "stages[\(index)]"
        let entry = try reader.mapping(node, at: path, allowed: stageKeys)
        guard let kindNode = entry["stage"] else {
            throw reader.error("\(path).stage", "is required (one of \(StageKind.allCases.map(\.rawValue).joined(separator: ", ")))", node)
        }
        let kindText = try reader.string(kindNode, at: "\(path).stage")
        guard let kind = StageKind(rawValue: kindText) else {
            throw reader.error("\(path).stage", "unknown stage '\(kindText)'; expected one of: "
                + StageKind.allCases.map(\.rawValue).joined(separator: ", "), kindNode)
        }
        let instances = try entry["instances"].map { try reader.int($0, at: "\(path).instances", in: 1...64) } ?? 1
        let host = try stageHost(entry["host"], path: path, hosts: hosts, entryNode: node, reader)
        let inputPorts = try ports(entry, base: "input_port", list: "input_ports", count: instances, path: path, reader)
        if kind.takesInput, inputPorts.isEmpty {
            throw reader.error("\(path).input_port", "is required: \(kind.rawValue) binds an input socket", node)
        }
        if !kind.takesInput, !inputPorts.isEmpty {
            throw reader.error("\(path).\(entry["input_port"] != nil ? "input_port" : "input_ports")",
                               "ingest has no input socket; remove it", node)
        }
        let metricsPorts = try ports(entry, base: "metrics_port", list: nil, count: instances, path: path, reader)
        var group = StageGroup(kind: kind, index: index, instances: instances, host: host, inputPorts: inputPorts,
                               metricsPorts: metricsPorts, line: node.mark?.line)
        if let publishNode = entry["publish"] {
            guard kind == .alert else { throw reader.error("\(path).publish", "only the alert stage publishes", publishNode) }
            guard instances == 1 else {
                throw reader.error("\(path).publish", "needs instances: 1 (one PUB socket binds the endpoint)", publishNode)
            }
            group.publish = try reader.string(publishNode, at: "\(path).publish")
            guard Endpoint.port(of: group.publish!) != nil else {
                throw reader.error("\(path).publish", "must be a tcp://ADDRESS:PORT endpoint, got '\(group.publish!)'", publishNode)
            }
        }
        if let watchNode = entry["watch"] {
            guard kind == .ingest else { throw reader.error("\(path).watch", "only the ingest stage watches a folder", watchNode) }
            group.watch = try reader.string(watchNode, at: "\(path).watch")
        }
        group.config = try entry["config"].map { try reader.overlay($0, at: "\(path).config") }
        return group
    }

    private static func stageHost(_ node: Node?, path: String, hosts: [Host], entryNode: Node,
                                  _ reader: NodeReader) throws -> String {
        guard let node else {
            guard hosts.count == 1 else {
                throw reader.error("\(path).host", "is required when the pipeline has more than one host", entryNode)
            }
            return hosts[0].name
        }
        let name = try reader.string(node, at: "\(path).host")
        guard hosts.contains(where: { $0.name == name }) else {
            throw reader.error("\(path).host", "unknown host '\(name)'; hosts: \(hosts.map(\.name).joined(separator: ", "))", node)
        }
        return name
    }

    /// One port per instance: consecutive from `base`, or listed under `list`.
    private static func ports(_ entry: [String: Node], base: String, list: String?, count: Int, path: String,
                              _ reader: NodeReader) throws -> [Int] {
        if let list, let listNode = entry[list] {
            guard entry[base] == nil else { throw reader.error("\(path).\(list)", "give \(base) or \(list), not both", listNode) }
            let ports = try reader.sequence(listNode, at: "\(path).\(list)").enumerated().map { index, node in
                try reader.port(node, at: "\(path).\(list)[\(index)]")
            }
            guard ports.count == count else {
                throw reader.error("\(path).\(list)", "lists \(ports.count) port(s) for \(count) instance(s)", listNode)
            }
            return ports
        }
        guard let baseNode = entry[base] else { return [] }
        let first = try reader.port(baseNode, at: "\(path).\(base)")
        guard first + count - 1 <= 65535 else {
            throw reader.error("\(path).\(base)", "\(first) + \(count) instance(s) runs past port 65535", baseNode)
        }
        return Array(first..<(first + count))
    }
}
