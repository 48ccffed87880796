import ArgumentParser
import BuildInfo

/// What a stage executable says about itself: its name and purpose.
public protocol StageIdentity {
    /// The executable's name, e.g. `nocturne-difference`.
    static var commandName: String { get }
    /// One line for `--help`.
    static var abstract: String { get }
    /// What it takes, what it does and what it writes.
    static var discussion: String { get }
}

/// The command line every stage executable shares: `--help`, `--version`,
/// and (with the stage runtime) its configuration and pipeline options.
/// Each executable is a thin `main` that names its stage and calls
/// `StageCommand<ThatStage>.main()`.
public struct StageCommand<Stage: StageIdentity>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Stage.commandName, abstract: Stage.abstract,
                             discussion: Stage.discussion, version: BuildInfo.codeVersion)
    }

    public init() {}

    public func run() throws {
        throw ValidationError("""
            \(Stage.commandName) runs as a stage of a pipeline, which the stage runtime (issue #4) \
            provides; until then use `nocturne ingest` to register files and `nocturne subtract` for a pair
            """)
    }
}
