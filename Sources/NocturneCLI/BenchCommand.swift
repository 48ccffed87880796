import ArgumentParser

/// `nocturne bench …`: benchmarks that print the figures the issues ask for.
/// Run them on a release build (`swift build -c release`); debug builds are
/// many times slower.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Nocturne's speed on this machine (use a release build).",
        subcommands: [FoundationBench.self, ImagingBench.self, RealBench.self, ChainBench.self, ScoringBench.self, AlertBench.self])
}
