import Foundation
import Pipelines

#if canImport(Glibc)
import Glibc
#endif

/// Starts a host's stage processes and keeps them running: an instance that
/// exits is restarted with backoff (``RestartPolicy``) and the console says
/// so; one that keeps exiting ends the pipeline. A stop (a signal through
/// ``SignalTrap``, ``requestStop()``, or the monitor) sends SIGTERM to every
/// child, waits for the grace period, then SIGKILLs what is left.
///
/// ``run(monitor:)`` blocks the calling thread; ``requestStop()`` may be
/// called from any thread.
public final class Supervisor: Sendable {
    /// How a supervised run ended.
    public enum Outcome: Equatable, Sendable {
        /// A stop was requested (signal or ``requestStop()``); all children are gone.
        case stopped
        /// The monitor asked to stop (the run went idle); all children are gone.
        case finished
        /// `instance` exited more often than the restart policy allows; all
        /// children are gone. `log` is its log file.
        case gaveUp(instance: String, log: URL)
    }

    /// What the monitor wants after a look at the run.
    public enum Verdict: Sendable {
        case keepRunning
        case stop
    }

    private let launches: [Launch]
    let options: SupervisorOptions
    let console: Console
    private let stopFlag = StopFlag()

    /// A supervisor for `launches` (one host's share of a pipeline).
    public init(launches: [Launch], options: SupervisorOptions, console: Console) {
        self.launches = launches
        self.options = options
        self.console = console
    }

    /// Asks ``run(monitor:)`` to stop its children and return; safe from any
    /// thread (a signal handler's queue, a test).
    public func requestStop() {
        stopFlag.request()
    }

    /// The log file of `instance`.
    public func logFile(of instance: String) -> URL {
        options.logDirectory.appendingPathComponent("\(instance).log")
    }

    /// Checks that every launch's executable exists and can run, before
    /// anything starts, naming the missing ones and where they were looked for.
    public func checkExecutables() throws {
        let missing = Set(launches.map(\.executable)).sorted().filter { name in
            access(options.binDirectory.appendingPathComponent(name).path, X_OK) != 0
        }
        guard missing.isEmpty else {
            throw SupervisorError(
                "no executable \(missing.joined(separator: ", ")) in \(options.binDirectory.path) "
                    + "(build with `swift build`, or point \(SupervisorOptions.binDirectoryVariable) at them)")
        }
    }

    /// Starts every launch and supervises until a stop, until `monitor`
    /// says stop (it is called every tick with the restarts so far), or
    /// until an instance exhausts its restarts.
    ///
    /// - Throws: ``SupervisorError`` when an executable is missing or the log
    ///   folder cannot be made; nothing is left running then.
    public func run(monitor: (_ restarts: Int) -> Verdict = { _ in .keepRunning }) throws -> Outcome {
        try checkExecutables()
        try prepareFiles()
        var slots = launches.map { Slot(launch: $0) }
        for index in slots.indices { start(&slots[index]) }
        while true {
            if stopFlag.isRequested {
                stopAll(&slots)
                return .stopped
            }
            if let instance = reap(&slots) {
                stopAll(&slots)
                return .gaveUp(instance: instance, log: logFile(of: instance))
            }
            restartDue(&slots)
            if monitor(slots.reduce(0) { $0 + $1.restarts }) == .stop {
                stopAll(&slots)
                return .finished
            }
            stopFlag.wait(options.tick)
        }
    }

    /// Appends `text` to `file`, creating it; a log line is not worth failing for.
    private static func append(_ text: String, to file: URL) {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// One launch's process and restart bookkeeping.
    struct Slot {
        let launch: Launch
        var child: ChildProcess?
        /// An exit not yet handled: a start that failed counts as one.
        var pendingExit: ExitStatus?
        /// This instance's exits within the restart window.
        var exits: [ContinuousClock.Instant] = []
        var restartAt: ContinuousClock.Instant?
        var restarts = 0
    }

    private func prepareFiles() throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: options.logDirectory, withIntermediateDirectories: true)
            for file in launches.compactMap(\.configFile) {
                let url = URL(fileURLWithPath: file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.yaml.write(to: url, atomically: true, encoding: .utf8)
            }
        } catch {
            throw SupervisorError("cannot prepare \(options.logDirectory.path): \(error.localizedDescription)")
        }
    }

    /// Starts a slot's process. A failed start counts as an exit (status
    /// 127, as a shell says "not found"), so it is retried with the same backoff.
    func start(_ slot: inout Slot) {
        let launch = slot.launch
        let executable = options.binDirectory.appendingPathComponent(launch.executable).path
        let log = logFile(of: launch.instance)
        let stamp = ISO8601DateFormatter().string(from: Date())
        let header = "--- \(stamp) nocturne run: starting \(([executable] + launch.arguments).joined(separator: " "))\n"
        Self.append(header, to: log)
        var environment = options.environment
        for (key, value) in launch.environment { environment[key] = value }
        do {
            slot.child = try ChildProcess.spawn(executable: executable, arguments: launch.arguments,
                                                environment: environment, logFile: log)
        } catch {
            console.message("\(launch.instance) could not start: \(error)")
            slot.child = nil
            slot.pendingExit = .exited(127)
        }
    }
}
