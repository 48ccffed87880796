import Foundation

/// How the supervisor finds, starts, restarts and stops its processes.
public struct SupervisorOptions: Sendable {
    /// Where the stage executables are: `NOCTURNE_BIN_DIR`, or the folder of
    /// the running `nocturne` (a build puts them side by side).
    public var binDirectory: URL
    /// Where each instance's stdout and stderr go, as `<instance>.log`.
    public var logDirectory: URL
    /// When an exited instance is restarted, and when the supervisor gives up.
    public var restart: RestartPolicy
    /// How long stopping children get after SIGTERM before SIGKILL (default
    /// 30 s: time to finish the item in flight).
    public var grace: Duration
    /// How often the supervisor checks its children (default 100 ms).
    public var tick: Duration
    /// The environment every child starts from; each launch adds its own.
    public var environment: [String: String]

    public init(binDirectory: URL, logDirectory: URL, restart: RestartPolicy = RestartPolicy(),
                grace: Duration = .seconds(30), tick: Duration = .milliseconds(100),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.binDirectory = binDirectory
        self.logDirectory = logDirectory
        self.restart = restart
        self.grace = grace
        self.tick = tick
        self.environment = environment
    }

    /// The environment variable that overrides where stage executables are found.
    public static let binDirectoryVariable = "NOCTURNE_BIN_DIR"

    /// `NOCTURNE_BIN_DIR` when set, else the running executable's folder.
    public static func defaultBinDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let folder = environment[binDirectoryVariable], !folder.isEmpty {
            return URL(fileURLWithPath: folder, isDirectory: true)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    /// The default log folder of a run: `.nocturne/logs/<run-id>/` under the
    /// working folder.
    public static func defaultLogDirectory(runID: UUID) -> URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent(".nocturne/logs/\(runID.uuidString.lowercased())", isDirectory: true)
    }
}
