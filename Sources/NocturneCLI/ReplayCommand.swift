import ArgumentParser
import BuildInfo
import Foundation
import Observations
import Pipelines
import Stages
import Store

/// `nocturne replay FOLDER`: a night's FITS files fed through the real chain
/// again, in DATE-OBS order, as fast as possible or at the night's own pace
/// times `--speed`, as a new run of kind `replay` (its own config snapshot
/// and code version; every product carries its id, so live data are never
/// touched).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay a night through the chain, or compare two runs.",
        subcommands: [ReplayNight.self, Diff.self], defaultSubcommand: ReplayNight.self)
}

/// `nocturne replay [night] FOLDER|--night DATE`, the default subcommand.
struct ReplayNight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "night",
        abstract: "Replay a night's FITS files through the chain as a new replay run.",
        discussion: """
            References go first, then science files in DATE-OBS order, each written into a staging folder that \
            `nocturne run PIPELINE --watch` ingests. With --speed N a file lands when the night's own time since the \
            first exposure, divided by N, has passed (--speed 60 plays an hour in a minute); without it, all at once. \
            A progress line shows observations done against total, with an ETA.
            """)

    @Argument(help: "A folder of FITS files (searched recursively), e.g. ../shared/data/real/lt-rise-lhs3250.")
    var folder: String?

    @Option(help: "Instead of a folder: a night already ingested (YYYY-MM-DD, the evening's UTC date); its files are found through their recorded paths, with their fields' references.")
    var night: String?

    @Option(help: "Play the night at its own pace times this factor (default: as fast as possible).")
    var speed: Double?

    @Option(help: "The pipeline to run.")
    var pipeline = "pipelines/replay.yaml"

    @Flag(name: .customLong("dry-run-delivery"), help: "Compute and record alerts, but send nothing to any channel.")
    var dryRunDelivery = false

    @Option(name: .customLong("idle-seconds"), help: "Quiet time after the last file before the replay ends.")
    var idleSeconds = 10

    @Option(help: "A folder of rule files this replay uses instead of the live rules, which it leaves as they are.")
    var rules: String?

    @OptionGroup var options: ConfigOptions

    func run() throws {
        if let speed, !(speed > 0) { throw ValidationError("--speed must be > 0, got \(speed)") }
        guard (folder == nil) != (night == nil) else { throw ValidationError("give either a FOLDER or --night DATE") }
        // Refused rules stop the replay before it creates a run.
        let ruleFolder = rules.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
        let overlayRules = try ruleFolder.map { try RuleFiles.load($0) }
        var options = self.options
        if let ruleFolder { options.overrides.append("alert.rules_dir=\(ruleFolder.path)") }
        // A replay already running holds these ports: say so before making a run.
        let definition = try RunCommand.pipelineFailure { try PipelineLoader.load(file: URL(fileURLWithPath: pipeline)) }
        try RunCommand.requirePortsFree(definition, host: try RunCommand.pipelineFailure { try definition.resolveHost(nil) })
        let context = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.replay"))
        let source = folder ?? "night \(night!)"
        let files = try folder.map { try ReplayPlan.files(in: URL(fileURLWithPath: $0, isDirectory: true)) }
            ?? ReplayPlan.files(try ReplayPlan.recordedPaths(night: night!, store: context.store))
        guard files.contains(where: { !$0.isReference }) else { throw CommandFailure("\(source): no science FITS files to replay") }
        let document = try options.document()
        let runID = try context.store.createRun(kind: .replay, codeVersion: BuildInfo.codeVersion,
                                                config: try document.jsonSnapshot(), night: night, source: source)
        if let overlayRules {
            let pinned = try RuleFiles.pin(overlayRules, to: runID, store: context.store, actor: "replay \(runID.uuidString.lowercased())")
            print("rules from \(ruleFolder!.path): " + pinned.map { rule in
                switch rule.pinned {
                case .existing(let version, let active): "\(rule.name) v\(version)\(active ? " (live)" : "")"
                case .stored(let version): "\(rule.name) v\(version) (new, this replay only)"
                }
            }.joined(separator: ", "))
        }
        let home = URL(fileURLWithPath: ".nocturne/replays/\(runID.uuidString.lowercased())", isDirectory: true)
        let staging = home.appendingPathComponent("incoming", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        print("replay run \(runID.uuidString.lowercased()): \(files.count) files from \(source)"
              + (speed.map { " at ×\($0)" } ?? " as fast as possible") + (dryRunDelivery ? ", delivering nothing" : ""))
        let child = try ReplayChild.start(pipeline: pipeline, runID: runID, staging: staging, home: home,
                                          idleSeconds: idleSeconds, dryRunDelivery: dryRunDelivery, options: options)
        let science = files.filter { !$0.isReference }.count
        let progress = ReplayProgress(store: context.store, runID: runID, total: science)
        let landings = try ReplayPlan.feed(files, into: staging, speed: speed) { progress.show() }
        try ReplayPlan.writeFeedLog(landings, to: home.appendingPathComponent("feed.tsv"))
        while child.isRunning {
            progress.show()
            Thread.sleep(forTimeInterval: 1)
        }
        progress.show()
        FileHandle.standardError.write(Data("\n".utf8))
        guard child.terminationStatus == 0 else {
            throw CommandFailure("the pipeline exited with status \(child.terminationStatus); see \(home.path)/run.log")
        }
        print(try RunSummary.render(store: context.store, runID: runID))
    }
}

extension ReplayCommand {
    /// `nocturne replay diff RUN_A RUN_B`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two runs of the same night: candidates appeared, gone and changed; alerts new and gone.")
        @Argument var runA: String
        @Argument var runB: String
        @Option(help: "The HTML report with the stamps of the differences.") var html: String?

        func run() throws {
            guard let a = UUID(uuidString: runA), let b = UUID(uuidString: runB) else { throw CommandFailure("give two run ids") }
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.replay")).store
            let diff = try ReplayDiff.compare(store, a: a, b: b)
            print(diff.text(a: a, b: b))
            let path = html ?? ".nocturne/replays/diff-\(runA.prefix(8))-\(runB.prefix(8)).html"
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try diff.html(a: a, b: b).write(toFile: path, atomically: true, encoding: .utf8)
            print("report: \(path)")
        }
    }
}

/// The files of a replay in the order they land.
struct ReplayPlan {
    struct File {
        var url: URL
        var dateObs: Date
        var isReference: Bool
    }

    /// The FITS files under `folder`, in replay order.
    static func files(in folder: URL) throws -> [File] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw CommandFailure("\(folder.path): not a folder")
        }
        return files(walker.compactMap { $0 as? URL }.filter { ["fits", "fit", "fts", "fz"].contains($0.pathExtension.lowercased()) })
    }

    /// The recorded files of a night's observations and of their fields'
    /// references; files no longer there are named and skipped.
    static func recordedPaths(night: String, store: PipelineStore) throws -> [URL] {
        let paths = try store.connection.query(
            """
            SELECT DISTINCT o.file_path FROM observations o
            WHERE ((o.date_obs AT TIME ZONE 'UTC') - interval '12 hours')::date = $1::date
               OR (o.role = 'reference' AND o.field IN (
                   SELECT field FROM observations WHERE ((date_obs AT TIME ZONE 'UTC') - interval '12 hours')::date = $1::date))
            ORDER BY 1
            """, [night]).map { try $0.decode(String.self, "file_path") }
        guard !paths.isEmpty else { throw CommandFailure("no observations were ingested for the night of \(night)") }
        return paths.compactMap { path in
            guard FileManager.default.fileExists(atPath: path) else {
                FileHandle.standardError.write(Data("replay: skipping \(path): the recorded file is gone\n".utf8))
                return nil
            }
            return URL(fileURLWithPath: path)
        }
    }

    /// References first, then DATE-OBS order; unreadable files are skipped with a message (ingest would refuse them).
    static func files(_ urls: [URL]) -> [File] {
        var files: [File] = []
        for url in urls {
            do {
                let o = try ObservationReader.read(url)
                files.append(File(url: url, dateObs: o.dateObs, isReference: o.role == .reference))
            } catch {
                FileHandle.standardError.write(Data("replay: skipping \(url.path): \(error)\n".utf8))
            }
        }
        return files.sorted { ($0.isReference ? 0 : 1, $0.dateObs, $0.url.path) < ($1.isReference ? 0 : 1, $1.dateObs, $1.url.path) }
    }

    /// Copies each file into `staging` (a hidden name, then a rename, as a
    /// camera writes), at the night's pace divided by `speed` when given.
    /// - Returns: each file with the moment it landed.
    static func feed(_ files: [File], into staging: URL, speed: Double?, tick: () -> Void) throws -> [(File, Date)] {
        var landings: [(File, Date)] = []
        let start = Date()
        let first = files.first { !$0.isReference }?.dateObs ?? Date()
        for (n, file) in files.enumerated() {
            if let speed, !file.isReference {
                let due = start.addingTimeInterval(file.dateObs.timeIntervalSince(first) / speed)
                while Date() < due {
                    tick()
                    Thread.sleep(forTimeInterval: min(0.5, max(0, due.timeIntervalSinceNow)))
                }
            }
            let name = String(format: "%04d-", n) + file.url.lastPathComponent
            let temporary = staging.appendingPathComponent(".\(name).part")
            try FileManager.default.copyItem(at: file.url, to: temporary)
            try FileManager.default.moveItem(at: temporary, to: staging.appendingPathComponent(name))
            landings.append((file, Date()))
        }
        return landings
    }

    /// `feed.tsv`: file, DATE-OBS, landed (ISO 8601), for checking the pace.
    static func writeFeedLog(_ landings: [(File, Date)], to url: URL) throws {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let lines = landings.map { "\($0.0.url.lastPathComponent)\t\(f.string(from: $0.0.dateObs))\t\(f.string(from: $0.1))\t\($0.0.isReference ? "reference" : "science")" }
        try (["file\tdate_obs\tlanded\trole"] + lines).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
    }
}
