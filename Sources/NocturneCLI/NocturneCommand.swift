import ArgumentParser
import BuildInfo

/// `nocturne`, the one command for people: database, ingest, and (in later
/// issues) simulate, run, replay and alerts.
public struct NocturneCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nocturne",
        abstract: "Nocturne: streaming anomaly monitoring for survey images.",
        version: BuildInfo.version,
        subcommands: [SimulateCommand.self])

    public init() {}
}
