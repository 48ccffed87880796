import Foundation
import Yams

/// A layered configuration: the defaults in `config/`, then any overlays (a
/// pipeline's per-stage overlay, `--config` files, `--set key=value`), merged
/// key by key so an overlay changes only what it names.
///
/// Sections are decoded on demand into typed ``ConfigSection`` structs, and
/// every decoding or validation failure becomes a ``ConfigurationError`` naming
/// the key and the sources.
public struct ConfigDocument: @unchecked Sendable {
    // Yams.Node is a tree of value types; it is not marked Sendable upstream.
    private var root: Node
    /// Where the layers came from, in the order they were applied.
    public private(set) var sources: [String]

    /// An empty document (every section takes its defaults).
    public init() {
        root = Node.mapping(Node.Mapping([]))
        sources = []
    }

    /// Loads and merges the given YAML files in order; later files win.
    public init(files: [URL]) throws {
        self.init()
        for file in files { try overlay(file: file) }
    }

    /// Merges a YAML file over the document.
    public mutating func overlay(file: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: "", problem: "cannot read config file \(file.path): \(error.localizedDescription)")
        }
        try overlay(yaml: text, source: file.path)
    }

    /// Merges YAML text over the document. `source` names it in errors.
    public mutating func overlay(yaml: String, source: String) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(key: "", problem: "\(source) is not valid YAML: \(error)")
        }
        sources.append(source)
        guard let node else { return }
        guard node.mapping != nil else {
            throw ConfigurationError(key: "", problem: "\(source) must be a mapping of sections at the top level")
        }
        root = Self.merge(root, node)
    }

    /// Sets one dotted key (as `--set difference.threshold=4.5` does). The value
    /// is parsed as YAML, so numbers and booleans keep their type.
    public mutating func set(_ dottedKey: String, to value: String) throws {
        let parts = dottedKey.split(separator: ".").map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError(key: dottedKey, problem: "not a dotted key path")
        }
        var yaml = ""
        for (depth, part) in parts.enumerated() {
            yaml += String(repeating: "  ", count: depth) + part + ":"
            yaml += depth == parts.count - 1 ? " \(value)\n" : "\n"
        }
        try overlay(yaml: yaml, source: "--set \(dottedKey)=\(value)")
    }

    /// Decodes and validates the section at `key` (a dotted path; empty for
    /// the whole document). A missing section decodes from an empty mapping,
    /// so every field takes its default.
    public func section<T: ConfigSection>(_ type: T.Type, at key: String) throws -> T {
        let node = lookup(key) ?? Node.mapping(Node.Mapping([]))
        do {
            let value = try YAMLDecoder().decode(T.self, from: node)
            try value.validate()
            return value
        } catch let error as ConfigurationError {
            throw error.prefixed(by: key, sources: sources)
        } catch let error as DecodingError {
            throw Self.describe(error).prefixed(by: key, sources: sources)
        }
    }

    /// The node at a dotted path, or nil when any part is missing.
    public func lookup(_ key: String) -> Node? {
        var node: Node? = root
        for part in key.split(separator: ".") where !part.isEmpty {
            node = node?.mapping?[String(part)]
        }
        return node
    }

    /// The merged document as YAML.
    public func serialized() throws -> String {
        try Yams.serialize(node: root)
    }

    /// The merged document as JSON with sorted keys: the config snapshot a
    /// run records, so a replay can say exactly what it ran with.
    public func jsonSnapshot() throws -> String {
        let value = try Yams.load(yaml: serialized()) ?? [String: Any]()
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func merge(_ base: Node, _ overlay: Node) -> Node {
        guard var baseMap = base.mapping, let overMap = overlay.mapping else { return overlay }
        for (key, value) in overMap {
            if let existing = baseMap[key] {
                baseMap[key] = merge(existing, value)
            } else {
                baseMap[key] = value
            }
        }
        return Node.mapping(baseMap)
    }

    private static func describe(_ error: DecodingError) -> ConfigurationError {
        func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
            (context.codingPath + (extra.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ConfigurationError(key: path(context), problem: "expected \(Self.typeName(type)); \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return ConfigurationError(key: path(context), problem: "expected \(Self.typeName(type)), found nothing")
        case .keyNotFound(let key, let context):
            return ConfigurationError(key: path(context, key), problem: "required key is missing")
        case .dataCorrupted(let context):
            return ConfigurationError(key: path(context), problem: context.debugDescription)
        @unknown default:
            return ConfigurationError(key: "", problem: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "\(type)"
        }
    }
}
