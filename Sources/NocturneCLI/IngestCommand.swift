import ArgumentParser
import BuildInfo
import Checksum
import Foundation
import Observations
import Store

/// `nocturne ingest PATH…`: registers FITS files (or every FITS file in the
/// folders given) as observations, in DATE-OBS order, and prints what it
/// registered. A bad file is refused with its reason and the rest go on.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Register FITS files as observations and print what was registered.",
        discussion: "Folders are searched (not recursively) for .fits, .fit, .fts and .fits.fz files.")

    @Argument(help: "FITS files or folders of them.")
    var paths: [String]

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let logger = CommandLogging.logger("nocturne.ingest")
        let document = try options.document()
        let settings = try document.section(IngestSettings.self, at: "ingest")
        let files = try FITSFolder.files(in: paths)
        guard !files.isEmpty else { throw CommandFailure("no FITS files in \(paths.joined(separator: ", "))") }
        let context = try DatabaseContext.open(logger: logger)
        let store = context.store
        let run = try store.createRun(kind: .live, codeVersion: BuildInfo.codeVersion,
                                      config: try document.jsonSnapshot(), source: paths.joined(separator: " "))
        var read: [Observation] = []
        var refused = 0
        for file in files {
            do {
                read.append(try ObservationReader.read(file, settings: settings))
            } catch {
                refused += 1
                FileHandle.standardError.write(Data("refused \(error)\n".utf8))
                if let print = try? FileChecksum.sha256(of: file) {
                    try store.recordRefusedFile(path: file.path, size: print.size, sha256: print.sha256,
                                                reason: "\(error)", runID: run)
                }
            }
        }
        read.sort { ($0.dateObs, $0.filePath) < ($1.dateObs, $1.filePath) }
        let outcomes = try read.map { try store.register($0, runID: run) }
        try store.finishRun(run)
        print(Self.table(read, outcomes))
        let new = outcomes.filter { if case .registered = $0 { true } else { false } }.count
        print("\nregistered \(new) new observation(s), \(outcomes.count - new) already known, \(refused) refused")
        print("database: \(context.location.statusDescription)")
        if refused > 0 { throw ExitCode(1) }
    }

    static func table(_ observations: [Observation], _ outcomes: [Registration]) -> String {
        var table = TextTable(["FILE", "DATE-OBS (UTC)", "FIELD", "FILTER", "EXPTIME", "RA (deg)", "DEC (deg)", "RESULT"])
        for (observation, outcome) in zip(observations, outcomes) {
            let result: String
            switch outcome {
            case .registered: result = "registered"
            case .duplicateFile: result = "already ingested"
            case .duplicateObservation: result = "same exposure as an earlier file"
            }
            table.add([
                URL(fileURLWithPath: observation.filePath).lastPathComponent,
                ObservationTime.iso8601(observation.dateObs), observation.field ?? "-", observation.filter ?? "-",
                String(format: "%.1f", observation.exptime), String(format: "%.5f", observation.centerRA),
                String(format: "%+.5f", observation.centerDec), result,
            ])
        }
        return table.render()
    }
}

/// Expands paths into FITS files: files as given, folders into their FITS
/// files sorted by name.
enum FITSFolder {
    static let extensions = [".fits", ".fit", ".fts", ".fits.fz", ".fits.gz"]

    static func files(in paths: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            files += names.filter { name in extensions.contains { name.lowercased().hasSuffix($0) } }
                .sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        }
        return files
    }
}
