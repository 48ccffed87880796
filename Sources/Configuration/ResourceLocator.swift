import Foundation

/// Finds the folder that holds Nocturne's `schema/` and `config/`, so that a
/// built executable works from the repository, from an installed copy, and
/// from any working folder.
///
/// Order: `NOCTURNE_HOME` when set; then the working folder and its parents;
/// then the executable's folder and its parents (a SwiftPM build lives in
/// `<root>/.build/<config>/`).
public enum ResourceLocator {
    /// The resource root, or an error saying where it looked.
    public static func root() throws -> URL {
        var tried: [String] = []
        if let home = ProcessInfo.processInfo.environment["NOCTURNE_HOME"], !home.isEmpty {
            let url = URL(fileURLWithPath: home, isDirectory: true)
            if isRoot(url) { return url }
            throw ConfigurationError(key: "NOCTURNE_HOME",
                                     problem: "\(home) has no schema/ and config/ folders")
        }
        let starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                      executableDirectory()].compactMap { $0 }
        for start in starts {
            var candidate = start.standardizedFileURL
            while true {
                if isRoot(candidate) { return candidate }
                tried.append(candidate.path)
                let parent = candidate.deletingLastPathComponent()
                if parent.path == candidate.path { break }
                candidate = parent
            }
        }
        throw ConfigurationError(
            key: "NOCTURNE_HOME",
            problem: "cannot find Nocturne's schema/ and config/ folders; set NOCTURNE_HOME (looked in \(tried.first ?? "."), its parents and the executable's)")
    }

    /// `<root>/schema`, the numbered SQL migrations.
    public static func schemaDirectory() throws -> URL {
        try root().appendingPathComponent("schema", isDirectory: true)
    }

    /// `<root>/config`, the default configuration.
    public static func configDirectory() throws -> URL {
        try root().appendingPathComponent("config", isDirectory: true)
    }

    private static func isRoot(_ url: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: url.appendingPathComponent("schema/0001_surveys_runs_observations.sql").path)
            && manager.fileExists(atPath: url.appendingPathComponent("config").path)
    }

    private static func executableDirectory() -> URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }
}
