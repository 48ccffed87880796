/// A configuration problem, naming the key at fault (as a dotted path such as
/// `difference.threshold`) and where the configuration came from.
///
/// A bad value stops a start: nothing runs on a configuration that does not
/// validate.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The dotted path of the key at fault, e.g. `ingest.settle_seconds`.
    public let key: String
    /// What is wrong with it, in words an operator can act on.
    public let problem: String
    /// The files and overlays the configuration was assembled from, in order.
    public let sources: [String]

    /// A problem with `key`. `sources` is filled in by ``ConfigDocument``.
    public init(key: String, problem: String, sources: [String] = []) {
        self.key = key
        self.problem = problem
        self.sources = sources
    }

    public var description: String {
        let origin = sources.isEmpty ? "" : " (config from \(sources.joined(separator: " + ")))"
        return "config key '\(key)': \(problem)\(origin)"
    }

    func prefixed(by section: String, sources: [String]) -> ConfigurationError {
        let path = section.isEmpty ? key : (key.isEmpty ? section : "\(section).\(key)")
        return ConfigurationError(key: path, problem: problem, sources: sources)
    }
}
