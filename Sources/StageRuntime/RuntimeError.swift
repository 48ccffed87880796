/// Why the runtime could not start or go on: a bad option, no database named,
/// a malformed publication. The description is safe to log and names the
/// option or key at fault.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case invalidOption
        case missingDatabaseURL
        case badPublication
    }

    private let kind: Kind
    /// The command-line option or config key at fault (`--metrics-port`,
    /// `runtime.lease_seconds`), when there is one.
    public let option: String?
    /// What is wrong, in words an operator can act on.
    public let problem: String

    private init(_ kind: Kind, option: String?, problem: String) {
        self.kind = kind
        self.option = option
        self.problem = problem
    }

    /// A bad value for `option`.
    public static func invalidOption(_ option: String, _ problem: String) -> RuntimeError {
        RuntimeError(.invalidOption, option: option, problem: problem)
    }

    /// `NOCTURNE_DATABASE_URL` is unset or empty.
    public static let missingDatabaseURL = RuntimeError(
        .missingDatabaseURL, option: "NOCTURNE_DATABASE_URL",
        problem: "is not set; a stage needs the database URL, e.g. postgresql://nocturne@db1/nocturne "
            + "(`nocturne run` sets it for the stages it starts)")

    static func badPublication(_ problem: String) -> RuntimeError {
        RuntimeError(.badPublication, option: nil, problem: problem)
    }

    /// True for a bad or missing option (including the database URL).
    public var isConfigurationProblem: Bool { kind != .badPublication }

    public var description: String {
        guard let option else { return problem }
        return "\(option): \(problem)"
    }
}
