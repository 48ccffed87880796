import ArgumentParser
import BuildInfo
import Configuration
import Dispatch
import Foundation
import Logging
import StageRuntime

/// What a stage executable says about itself, and the worker it runs.
public protocol StageIdentity {
    /// The executable's name, e.g. `nocturne-difference`.
    static var commandName: String { get }
    /// One line for `--help`.
    static var abstract: String { get }
    /// What it takes, what it does and what it writes.
    static var discussion: String { get }
    /// Runs the stage until it is stopped (or, for a source, exhausted).
    static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws
}

/// The command line every stage executable shares: `--help`, `--version`
/// and the runtime's options (docs/runtime.md). Each executable is a thin
/// `main` that names its stage and calls `StageCommand<ThatStage>.main()`.
public struct StageCommand<Stage: StageIdentity>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Stage.commandName, abstract: Stage.abstract,
                             discussion: Stage.discussion, version: BuildInfo.codeVersion)
    }

    @OptionGroup public var runtime: RuntimeOptions

    @Argument(help: "FITS files to ingest (nocturne-ingest only; with no --watch it exits once they are in).")
    public var files: [String] = []

    public init() {}

    public func validate() throws {
        if Stage.self != IngestStage.self, !files.isEmpty {
            throw ValidationError("\(Stage.commandName) takes no file arguments; its input is --input")
        }
    }

    public func run() throws {
        let logger = StageLogging.logger(Stage.commandName)
        let document = try runtime.configDocument()
        let (options, files) = (runtime, files)
        try BlockingAsync.run { try await Stage.run(options: options, files: files, document: document, logger: logger) }
    }
}

/// Runs async work from a synchronous command: the root command stays a
/// plain `ParsableCommand` (an async root does not start on Linux here).
enum BlockingAsync {
    static func run(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task.detached {
            do { try await body() } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let error = failure.get() { throw error }
    }

    final class ErrorBox: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.withLock { error = e } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}

/// Logs to stderr at `NOCTURNE_LOG_LEVEL` (default info: a stage's log is
/// its record of what it did).
enum StageLogging {
    static func logger(_ label: String) -> Logger {
        let name = ProcessInfo.processInfo.environment["NOCTURNE_LOG_LEVEL"] ?? "info"
        let level = Logger.Level(rawValue: name.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
