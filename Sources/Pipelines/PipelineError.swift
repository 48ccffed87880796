/// A pipeline definition that cannot be used, naming the file and the key at
/// fault (a path such as `stages[2].input_port`) and, when known, the line.
public struct PipelineError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The definition's file (as given), or a description of where the text came from.
    public let file: String
    /// The key path at fault, e.g. `stages[1].instances`; empty for the whole file.
    public let key: String
    /// What is wrong, in words an operator can act on.
    public let problem: String
    /// The 1-based line in `file`, when the YAML parser reported one.
    public let line: Int?

    /// A problem with `key` of `file`.
    public init(file: String, key: String, problem: String, line: Int? = nil) {
        self.file = file
        self.key = key
        self.problem = problem
        self.line = line
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(problem)" : "\(place): '\(key)': \(problem)"
    }
}
