import ArgumentParser
import Configuration
import Foundation
import Simulation

/// `nocturne simulate`: writes a seeded, reproducible night of survey images
/// with its truth table (see docs/simulator.md).
///
/// Options given on the command line override the same values of
/// `--config`; everything else comes from the file or the defaults.
public struct SimulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a night of survey images with injected transients and a truth table.",
        discussion: """
            Writes DIR/science/*.fits, DIR/reference/*.fits, DIR/truth.csv, DIR/sources.csv and \
            DIR/night.json. The same seed and options give identical files. --config takes a YAML \
            file whose `simulate:` section (or whole document) holds NightConfiguration keys, e.g. \
            `simulate: {conditions: {fwhm: [2, 3]}}`.
            """)

    @Option(name: .long, help: "Output folder (created when missing).")
    var out: String

    @Option(name: .long, help: "Random seed, 0 ... 2^63-1 (default 42).")
    var seed: UInt64?

    @Option(name: .long, help: "Number of fields (default 3).")
    var fields: Int?

    @Option(name: .long, help: "Science epochs per field (default 8).")
    var epochs: Int?

    @Option(name: .long, help: "Image width and height in pixels (default 2048).")
    var size: Int?

    @Option(name: .customLong("reference-exposures"),
            help: "Shallow reference exposures per field written besides the deep reference (default 0).")
    var referenceExposures: Int?

    @Option(name: .long, help: "YAML file with simulator settings.")
    var config: String?

    public init() {}

    public func run() throws {
        let night = try configurationFromOptions()
        let simulator: NightSimulator
        do {
            simulator = try NightSimulator(configuration: night)
        } catch {
            throw ValidationError(error.description)
        }
        let reporter = ProgressReporter(label: "simulate")
        do {
            try NightWriter(directory: URL(fileURLWithPath: out, isDirectory: true)).write(simulator) { progress in
                reporter.update(done: progress.done, total: progress.total, item: progress.path, seconds: progress.seconds)
            }
        } catch {
            reporter.finish()
            throw SimulateFailure(description: error.description)
        }
        reporter.finish()
        print("wrote \(simulator.exposures.count) images, truth.csv, sources.csv and night.json to \(out)")
    }

    /// The file's settings (if any) with the command-line options on top, validated.
    func configurationFromOptions() throws -> NightConfiguration {
        var night = NightConfiguration()
        if let config {
            let document: ConfigDocument
            do {
                document = try ConfigDocument(files: [URL(fileURLWithPath: config)])
            } catch {
                throw ValidationError("\(error)")
            }
            let key = document.lookup("simulate") == nil ? "" : "simulate"
            do {
                night = try document.section(SimulateSection.self, at: key).night
            } catch let error as SimulationError {
                throw ValidationError("\(config): \(error.description)")
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let seed { night.seed = seed }
        if let fields { night.fields = fields }
        if let epochs { night.epochs = epochs }
        if let size { (night.width, night.height) = (size, size) }
        if let referenceExposures { night.referenceExposures = referenceExposures }
        do {
            try night.validate()
        } catch {
            throw ValidationError(Self.optionMessage(error))
        }
        return night
    }

    /// Names the command-line option when the key at fault is one of them.
    private static func optionMessage(_ error: SimulationError) -> String {
        let options = ["seed": "--seed", "fields": "--fields", "epochs": "--epochs", "width": "--size",
                       "height": "--size", "reference_exposures": "--reference-exposures"]
        guard let key = error.key, let option = options[key] else { return error.description }
        return "\(option) (config key '\(key)'): \(error.problem)"
    }
}

/// The simulator's settings as a config section: `NightConfiguration` decoded
/// with its own defaults and unknown-key checks.
private struct SimulateSection: ConfigSection {
    let night: NightConfiguration

    init(from decoder: any Decoder) throws {
        night = try NightConfiguration(from: decoder)
    }

    func validate() throws {
        try night.validate()
    }
}

/// A failure while writing the night; ArgumentParser prints the description
/// and exits with status 1.
struct SimulateFailure: Error, CustomStringConvertible {
    let description: String
}
