import FITS
import Foundation

/// Writes a simulated night to a folder:
///
/// ```
/// DIR/science/NOC-F00-E03.fits   one per field and epoch (E00 is the first)
/// DIR/reference/NOC-F00-REF.fits the deep reference of each field
/// DIR/reference/NOC-F00-REF01.fits  shallow reference exposures, when asked for
/// DIR/truth.csv                  one row per (image, injected object or artifact)
/// DIR/sources.csv                every static star and galaxy
/// DIR/night.json                 configuration, zero point, per-image conditions
/// ```
///
/// Images are float32 FITS, uncompressed, with the cards of
/// ``RenderedImage/header``. Existing files of the same names are replaced.
public struct NightWriter: Sendable {
    /// Progress after each image.
    public struct Progress: Sendable {
        /// Images written so far.
        public let done: Int
        /// Images in the night.
        public let total: Int
        /// The image just written, relative to the folder.
        public let path: String
        /// Seconds spent rendering and writing it.
        public let seconds: Double
    }

    /// The output folder.
    public let directory: URL

    /// A writer into `directory` (created when missing).
    public init(directory: URL) {
        self.directory = directory
    }

    /// Renders and writes every image, then the tables and `night.json`.
    /// `progress` is called after each image, on the calling thread.
    /// - Throws: ``SimulationError`` with ``SimulationError/Code/output`` naming
    ///   the path that could not be created or written.
    public func write(_ simulator: NightSimulator, progress: (Progress) -> Void = { _ in }) throws(SimulationError) {
        try prepare()
        let exposures = simulator.exposures
        var truth = [TruthTable.header]
        let clock = ContinuousClock()
        for (index, exposure) in exposures.enumerated() {
            let started = clock.now
            let rendered = try simulator.render(exposure)
            let path = directory.appendingPathComponent(exposure.path).path
            do {
                try FITSFile.write(rendered.image, to: path, header: rendered.header, overwrite: true)
            } catch {
                throw SimulationError(.output, path: path, problem: "cannot write the image: \(error)")
            }
            truth += rendered.truth.map(TruthTable.line)
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            progress(Progress(done: index + 1, total: exposures.count, path: exposure.path, seconds: seconds))
        }
        try save(truth.joined(separator: "\n") + "\n", as: "truth.csv")
        let sources = [SourceTable.columns.joined(separator: ",")]
            + simulator.plan.fields.flatMap { SourceTable.lines($0, configuration: simulator.configuration) }
        try save(sources.joined(separator: "\n") + "\n", as: "sources.csv")
        try save(manifest(simulator), as: "night.json")
    }

    /// Creates the folder and its `science/` and `reference/` sub-folders,
    /// and checks that files can be created there.
    private func prepare() throws(SimulationError) {
        let manager = FileManager.default
        for folder in ["", "science", "reference"] {
            let url = folder.isEmpty ? directory : directory.appendingPathComponent(folder, isDirectory: true)
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw SimulationError(.output, path: url.path, problem: "exists and is not a folder")
            }
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw SimulationError(.output, path: url.path, problem: "cannot create the folder: \(Self.obstacle(url))")
            }
            guard manager.isWritableFile(atPath: url.path) else {
                throw SimulationError(.output, path: url.path, problem: "the folder is not writable")
            }
        }
    }

    /// Why a folder cannot be created: the nearest existing ancestor is a
    /// file, or is not writable (Foundation's own error says neither).
    private static func obstacle(_ url: URL) -> String {
        let manager = FileManager.default
        var ancestor = url.deletingLastPathComponent()
        while ancestor.path != "/", !manager.fileExists(atPath: ancestor.path) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: ancestor.path, isDirectory: &isDirectory)
        if !isDirectory.boolValue { return "\(ancestor.path) is a file, not a folder" }
        if !manager.isWritableFile(atPath: ancestor.path) { return "\(ancestor.path) is not writable" }
        return "the system refused"
    }

    private func manifest(_ simulator: NightSimulator) throws(SimulationError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return String(decoding: try encoder.encode(NightManifest(simulator: simulator)), as: UTF8.self) + "\n"
        } catch {
            throw SimulationError(.output, path: directory.appendingPathComponent("night.json").path,
                                  problem: "cannot encode: \(error)")
        }
    }

    private func save(_ text: String, as name: String) throws(SimulationError) {
        let url = directory.appendingPathComponent(name)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw SimulationError(.output, path: url.path, problem: "cannot write: \(error.localizedDescription)")
        }
    }
}
