import ArgumentParser
import BuildInfo

/// `nocturne`, the one command for people: the database, ingest, the
/// simulator, subtraction of a pair, benchmarks, and (as the pipeline grows)
/// running, replaying and alerting.
public struct NocturneCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nocturne",
        abstract: "Nocturne: streaming anomaly monitoring for survey images.",
        version: BuildInfo.codeVersion,
        subcommands: [IngestCommand.self, SimulateCommand.self, SubtractCommand.self, ReferenceCommand.self,
                      RunCommand.self, DBCommand.self, BenchCommand.self, ModelCommand.self,
                      LabelCommand.self, AlertsCommand.self, SilenceCommand.self, RulesCommand.self,
                      ReplayCommand.self, ReportCommand.self])

    public init() {}
}
