import Foundation

/// Runs one of the package's built executables (`nocturne`, the stages) as a
/// child process, as an operator would, and captures what it prints.
public enum CommandRunner {
    /// What a finished command left behind.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The folder holding the built products: the test bundle sits beside
    /// them (`.build/<triple>/<configuration>/`).
    public static var productsDirectory: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var folder = bundle.deletingLastPathComponent()
        // Swift Testing may run from inside the .xctest bundle path.
        if folder.lastPathComponent.hasSuffix(".xctest") { folder.deleteLastPathComponent() }
        return folder
    }

    /// Runs `executable` with `arguments` in `workingDirectory`.
    ///
    /// The child gets `NOCTURNE_HOME` (so it finds schema/ and config/) and the
    /// given environment on top of this process's, minus
    /// `NOCTURNE_DATABASE_URL` unless `environment` sets it.
    public static func run(_ executable: String, _ arguments: [String], workingDirectory: URL,
                           environment: [String: String] = [:]) throws -> Output {
        try run(at: productsDirectory.appendingPathComponent(executable), arguments, workingDirectory: workingDirectory,
                environment: environment)
    }

    /// Runs the program at `path` (a system tool, not a package product) the
    /// same way.
    public static func run(at path: URL, _ arguments: [String], workingDirectory: URL,
                           environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = path
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOCTURNE_DATABASE_URL")
        env["NOCTURNE_HOME"] = SharedData.packageRoot.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = try temporaryFile(), err = try temporaryFile()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        // Files, not pipes: a daemon the command starts (PostgreSQL) must not
        // hold our end open.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    private static func temporaryFile() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-cmd-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
