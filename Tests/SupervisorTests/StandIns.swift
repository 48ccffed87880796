import Foundation
import Pipelines
import Supervisor
import Synchronization

/// A temporary NOCTURNE_BIN_DIR of shell scripts standing in for the stage
/// executables, a log folder, and a console that records what it says.
struct StandIns {
    let binDirectory: URL
    let logDirectory: URL
    let console: Console
    private let transcript = Transcript()

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-supervisor-\(UUID().uuidString)")
        binDirectory = root.appendingPathComponent("bin", isDirectory: true)
        logDirectory = root.appendingPathComponent("logs", isDirectory: true)
        try FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
        let transcript = transcript
        console = Console(interactive: false) { text in transcript.lines.withLock { $0.append(text) } }
    }

    /// Writes `nocturne-<kind>` as a /bin/sh script with `body`.
    func script(_ kind: StageKind, _ body: String) throws {
        let url = binDirectory.appendingPathComponent(kind.executableName)
        try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        chmod(url.path, 0o755)
    }

    /// A launch of `kind` as instance `name`.
    func launch(_ kind: StageKind, _ name: String, arguments: [String] = [], environment: [String: String] = [:]) -> Launch {
        Launch(instance: name, kind: kind, host: "local", executable: kind.executableName, arguments: arguments,
               environment: environment)
    }

    func options(restart: RestartPolicy = RestartPolicy(), grace: Duration = .seconds(5)) -> SupervisorOptions {
        SupervisorOptions(binDirectory: binDirectory, logDirectory: logDirectory, restart: restart, grace: grace,
                          tick: .milliseconds(20))
    }

    /// What the console said so far, joined.
    var said: String { transcript.lines.withLock { $0.joined() } }

    /// An instance's log so far.
    func log(_ instance: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(instance).log"), encoding: .utf8)) ?? ""
    }
}

/// What a console said, kept for the test to read.
final class Transcript: Sendable {
    let lines = Mutex<[String]>([])
}
