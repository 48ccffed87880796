import Foundation

/// Locates the real telescope frames in `../shared/data/real/` (relative to the
/// package root) that the FITS, WCS and imaging tests compare against.
///
/// The folder is not part of the repository. When it is missing, tests that
/// need it are disabled with a message saying so (`.enabled(if:)`), as the
/// data README asks; CI always has it.
public enum SharedData {
    /// The package root, found from this file's own path
    /// (`<root>/Tests/TestSupport/SharedData.swift`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // package root

    /// `../shared/data/real` next to the package root.
    public static let realDirectory: URL = packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/real", isDirectory: true)

    /// Whether the real-data folder is present on this machine.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: realDirectory.appendingPathComponent("README.md").path)
    }

    /// The message shown when a test is skipped because the folder is missing.
    public static let missingMessage = "../shared/data/real is missing on this machine; real-data tests are skipped"

    /// A file under the real-data folder, e.g. `real("m13-compressed/m13.fits")`.
    public static func real(_ relativePath: String) -> URL {
        realDirectory.appendingPathComponent(relativePath)
    }

    /// The six Liverpool Telescope RISE frames of 2020-08-30, sorted by name.
    public static var ltFrames: [URL] {
        let folder = real("lt-rise-lhs3250")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".fits") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Reads a CSV file with a header row into dictionaries keyed by column name.
    /// The reference CSVs here hold no quoted fields, so a plain split is exact.
    public static func csvRows(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count {
                row[name] = fields[index]
            }
            return row
        }
    }

    /// A scratch directory unique to one test, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "nocturne-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
