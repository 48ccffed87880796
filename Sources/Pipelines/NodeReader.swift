import Yams

/// Reads typed values out of a composed YAML tree, turning every surprise
/// into a ``PipelineError`` that names the file, the key path and the line.
struct NodeReader {
    /// The file being read, for errors.
    let file: String

    /// The entries of a mapping, refusing keys outside `allowed`.
    func mapping(_ node: Node, at key: String, allowed: [String]) throws -> [String: Node] {
        guard let mapping = node.mapping else { throw error(key, "must be a mapping", node) }
        var entries: [String: Node] = [:]
        for (name, value) in mapping {
            guard let text = name.string else { throw error(key, "keys must be strings", name) }
            let path = key.isEmpty ? text : "\(key).\(text)"
            guard allowed.contains(text) else {
                throw error(path, "unknown key; expected one of: \(allowed.joined(separator: ", "))", name)
            }
            guard entries[text] == nil else { throw error(path, "appears twice", name) }
            entries[text] = value
        }
        return entries
    }

    /// A scalar as text (numbers included, as written).
    func string(_ node: Node, at key: String) throws -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw error(key, "must be a non-empty string", node)
        }
        return scalar.string
    }

    /// An integer within `range`.
    func int(_ node: Node, at key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = node.int else { throw error(key, "must be an integer", node) }
        guard range.contains(value) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)", node)
        }
        return value
    }

    /// A TCP port (1…65535).
    func port(_ node: Node, at key: String) throws -> Int {
        try int(node, at: key, in: 1...65535)
    }

    /// The elements of a sequence.
    func sequence(_ node: Node, at key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw error(key, "must be a list", node) }
        return Array(sequence)
    }

    /// A configuration overlay: a mapping, kept as YAML text for the stages.
    func overlay(_ node: Node, at key: String) throws -> String {
        guard node.mapping != nil else { throw error(key, "must be a mapping of config sections", node) }
        do {
            return try Yams.serialize(node: node)
        } catch {
            throw self.error(key, "cannot be written back as YAML: \(error)", node)
        }
    }

    /// An error about `key`, at `node`'s line.
    func error(_ key: String, _ problem: String, _ node: Node? = nil) -> PipelineError {
        PipelineError(file: file, key: key, problem: problem, line: node?.mark?.line)
    }
}
