/// An error from planning, rendering or writing a simulated night.
///
/// `description` is meant for people: it names the configuration key or the
/// path at fault and says what is wrong. Match on ``code``; the set of codes
/// can grow because ``Code`` is a struct over a private enum.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem occurred.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case invalidConfiguration, geometry, output
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A configuration value is out of range or inconsistent; ``SimulationError/key`` names it.
        public static var invalidConfiguration: Code { Code(.invalidConfiguration) }
        /// A WCS could not be built or a position could not be converted.
        public static var geometry: Code { Code(.geometry) }
        /// The output folder or a file in it could not be created or written.
        public static var output: Code { Code(.output) }

        /// The code's name, e.g. `output`.
        public var description: String { "\(value)" }
    }

    /// What kind of problem occurred.
    public let code: Code
    /// The dotted configuration key at fault (e.g. `conditions.fwhm`), for
    /// ``Code/invalidConfiguration``; otherwise `nil`.
    public let key: String?
    /// The path concerned, for ``Code/output``; otherwise `nil`.
    public let path: String?
    /// The problem in words.
    public let problem: String

    init(_ code: Code, key: String? = nil, path: String? = nil, problem: String) {
        self.code = code
        self.key = key
        self.path = path
        self.problem = problem
    }

    /// A configuration problem with `key`.
    static func configuration(_ key: String, _ problem: String) -> SimulationError {
        SimulationError(.invalidConfiguration, key: key, problem: problem)
    }

    public var description: String {
        if let key { return "simulation config key '\(key)': \(problem)" }
        if let path { return "\(path): \(problem)" }
        return problem
    }
}
