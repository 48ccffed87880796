import Differencing
import Foundation
import Scoring
import Simulation
import Training

/// Simulated nights for training and held-out checks, written once under
/// `.nocturne/training/` and reused, then put through the imaging core.
enum TrainingNights {
    /// The folder of a simulated night with these settings, simulated now
    /// when it is not there yet.
    static func folder(seed: UInt64, size: Int, fields: Int, epochs: Int) throws -> URL {
        let folder = URL(fileURLWithPath: ".nocturne/training/sim-s\(seed)-\(size)px-\(fields)x\(epochs)", isDirectory: true)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("truth.csv").path) { return folder }
        log("simulating \(folder.path)")
        try simulate(into: folder, seed: seed, size: size, fields: fields, epochs: epochs)
        return folder
    }

    /// Simulates a night of `fields` × `epochs` square images of `size`
    /// pixels into `folder` (FITS files and truth tables).
    static func simulate(into folder: URL, seed: UInt64, size: Int, fields: Int, epochs: Int) throws {
        var configuration = NightConfiguration()
        configuration.seed = seed
        configuration.fields = fields
        configuration.epochs = epochs
        configuration.width = size
        configuration.height = size
        try configuration.validate()
        try NightWriter(directory: folder).write(try NightSimulator(configuration: configuration))
    }

    /// The night's candidates labelled by its truth, with progress on stderr.
    static func labelled(_ folder: URL) throws -> LabelledNight {
        try LabelledNight.process(folder, pipeline: DifferencePipeline()) { image, count in
            log("\(folder.lastPathComponent)/\(image): \(count) candidates")
        }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
