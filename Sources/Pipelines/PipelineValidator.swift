/// Checks the relations between a definition's entries that no single entry
/// shows: every consumed status is produced, and no two sockets or servers
/// claim one port on one host.
public enum PipelineValidator {
    /// Throws the first problem found, naming the file and the key.
    public static func validate(_ definition: PipelineDefinition) throws {
        try checkProducers(definition)
        try checkPorts(definition)
    }

    /// A stage whose input status no stage of the pipeline produces would
    /// wait forever, so it is refused before anything starts.
    static func checkProducers(_ definition: PipelineDefinition) throws {
        let produced = Set(definition.stages.map(\.kind.outputStatus))
        for group in definition.stages {
            guard let input = group.kind.inputStatus, !produced.contains(input) else { continue }
            throw PipelineError(
                file: definition.file, key: "\(group.keyPath).stage",
                problem: "stage '\(group.kind.rawValue)' consumes '\(input)' but no stage in the pipeline produces it",
                line: group.line)
        }
    }

    static func checkPorts(_ definition: PipelineDefinition) throws {
        // (host, port) → the key that first claimed it.
        var claimed: [String: String] = [:]
        for group in definition.stages {
            for (key, port) in group.portUses {
                let slot = "\(group.host):\(port)"
                if let first = claimed[slot] {
                    throw PipelineError(
                        file: definition.file, key: key,
                        problem: "port \(port) on host '\(group.host)' is already used by \(first)", line: group.line)
                }
                claimed[slot] = key
            }
        }
    }
}
