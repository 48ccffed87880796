import Foundation
import Testing
import TestSupport

/// Every executable says who it is and what it does.
@Suite struct ExecutableTests {
    static let executables = ["nocturne", "nocturne-ingest", "nocturne-preprocess", "nocturne-difference",
                              "nocturne-extract", "nocturne-embed", "nocturne-score", "nocturne-alert"]

    @Test(arguments: executables)
    func helpAndVersion(executable: String) throws {
        let folder = FileManager.default.temporaryDirectory
        let help = try CommandRunner.run(executable, ["--help"], workingDirectory: folder)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: \(executable)"))
        #expect(help.stdout.contains("OVERVIEW:"))
        let version = try CommandRunner.run(executable, ["--version"], workingDirectory: folder)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
    }
}
