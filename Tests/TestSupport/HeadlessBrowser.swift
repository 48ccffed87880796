import Foundation

/// Debian's Chromium, headless, for checking that an HTML page the project
/// writes opens without errors. `scripts/test` installs it.
public enum HeadlessBrowser {
    public static let path = URL(fileURLWithPath: "/usr/bin/chromium")

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The page's DOM after it loaded (scripts run), and Chromium's own log.
    public static func dumpDOM(of page: URL) throws -> (dom: String, log: String) {
        let out = try run(["--virtual-time-budget=5000", "--dump-dom", page.absoluteString])
        return (out.stdout, out.stderr)
    }

    /// A PNG of the page at `width` × `height` CSS pixels.
    public static func screenshot(of page: URL, to png: URL, width: Int = 1280, height: Int = 2400) throws {
        let out = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(png.path)", page.absoluteString])
        guard FileManager.default.fileExists(atPath: png.path) else {
            throw Failure(description: "chromium wrote no screenshot: \(out.stderr.suffix(2000))")
        }
    }

    private static func run(_ arguments: [String]) throws -> CommandRunner.Output {
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw Failure(description: "\(path.path) is missing: scripts/test installs Debian's chromium (scripts/install-deps chromium)")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // As root Chromium needs --no-sandbox; a machine without a GPU or a
        // large /dev/shm needs the other two.
        let fixed = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--user-data-dir=\(profile.path)"]
        return try CommandRunner.run(at: path, fixed + arguments, workingDirectory: FileManager.default.temporaryDirectory,
                                     environment: ["HOME": profile.path])
    }
}
