import Database
import Foundation
import TestSupport

/// The chain's real executables started as child processes against a test
/// database, wired over tcp on a random block of ports, each logging to its
/// own file: what `nocturne run` does, without the supervisor.
final class ChainProcesses: @unchecked Sendable {
    /// The stages downstream of ingest, in order.
    static let stages = ["preprocess", "difference", "extract", "embed", "score", "alert"]

    let database: TestDatabase
    let runID: UUID
    let folder: URL
    let basePort: Int
    private(set) var processes: [String: Process] = [:]

    init(database: TestDatabase, label: String) throws {
        self.database = database
        folder = try SharedData.temporaryDirectory("nocturne-chain-\(label)")
        basePort = Int.random(in: 200...600) * 100
        runID = try database.connection.query(
            "INSERT INTO runs (kind, code_version) VALUES ('live', 'test') RETURNING id")[0].decode(UUID.self, "id")
    }

    var archive: String { folder.appendingPathComponent("archive").path }

    /// The input endpoint of `stage`'s instance `n` (1-based).
    func endpoint(_ stage: String, instance n: Int = 1) -> String {
        let index = Self.stages.firstIndex(of: stage)!
        return "tcp://127.0.0.1:\(basePort + 10 * index + n)"
    }

    /// Starts `stage` as instance `n`, pushing to `downstream` instances of the next stage.
    func start(_ stage: String, instance n: Int = 1, downstream: Int = 1, extra: [String] = []) throws {
        let index = Self.stages.firstIndex(of: stage)!
        var arguments = ["--run-id", runID.uuidString, "--instance", "\(stage)-\(n)", "--input", endpoint(stage, instance: n),
                         "--archive", archive, "--set", "runtime.rescan_seconds=1"]
        if index + 1 < Self.stages.count {
            for d in 1...downstream { arguments += ["--output", endpoint(Self.stages[index + 1], instance: d)] }
        } else {
            arguments += ["--publish", "tcp://127.0.0.1:\(basePort + 99)"]
        }
        try launch("nocturne-\(stage)", name: "\(stage)-\(n)", arguments + extra)
    }

    /// Starts ingest on `files` (it exits once they are in) or on a watched folder.
    func startIngest(files: [URL] = [], watch: URL? = nil, preprocessInstances: Int = 1, extra: [String] = []) throws {
        var arguments = ["--run-id", runID.uuidString, "--archive", archive] + extra
        for d in 1...preprocessInstances { arguments += ["--output", endpoint("preprocess", instance: d)] }
        if let watch { arguments += ["--watch", watch.path] }
        try launch("nocturne-ingest", name: "ingest", arguments + files.map(\.path))
    }

    private func launch(_ executable: String, name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NOCTURNE_DATABASE_URL"] = database.url
        environment["NOCTURNE_HOME"] = SharedData.packageRoot.path
        process.environment = environment
        let log = folder.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[name] = process
    }

    /// Sends `signal` to a process and waits for it to exit; returns its status.
    @discardableResult
    func stop(_ name: String, signal: Int32 = SIGTERM) -> Int32 {
        guard let process = processes[name] else { return -1 }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for a process to exit by itself.
    func wait(_ name: String, seconds: Double) -> Int32? {
        guard let process = processes[name] else { return nil }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Stops everything still running.
    func stopAll() {
        for (name, process) in processes where process.isRunning { _ = stop(name) }
    }

    /// The log of a process, for failure messages.
    func log(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    /// Progress counts by status.
    func statuses() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try database.connection.query(
            "SELECT status, count(*) AS n FROM observation_progress WHERE run_id = $1 GROUP BY status", [runID]) {
            counts[try row.decode(String.self, "status")] = try row.decode(Int.self, "n")
        }
        return counts
    }

    /// Waits until `expected` items exist and all are alerted or failed.
    func waitUntilSettled(expected: Int, seconds: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let s = try statuses()
            if s.values.reduce(0, +) >= expected, (s["alerted"] ?? 0) + (s["failed"] ?? 0) == s.values.reduce(0, +) { return true }
            usleep(250_000)
        }
        return false
    }

    /// One integer from SQL with the run id as $1.
    func count(_ sql: String) throws -> Int {
        try database.connection.query(sql, [runID])[0].decode(Int.self, "n")
    }
}
