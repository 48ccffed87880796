import Foundation
import Testing
import TestSupport

/// `nocturne ingest`, run as an operator runs it.
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
struct IngestCommandTests {
    @Test func registersTheLiverpoolNightAndPrintsIt() throws {
        let db = try TestDatabase.make()
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try CommandRunner.run("nocturne", ["ingest", SharedData.real("lt-rise-lhs3250").path],
                                           workingDirectory: folder, environment: ["NOCTURNE_DATABASE_URL": db.url])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        for frame in SharedData.ltFrames { #expect(output.stdout.contains(frame.lastPathComponent)) }
        #expect(output.stdout.contains("2020-08-30T21:36:59.101Z"))
        #expect(output.stdout.contains("og515+kg5"))
        #expect(output.stdout.contains("registered 6 new observation(s)"))
        #expect(output.stdout.contains("external server"))
        let rows = try db.connection.query("SELECT count(*) AS n FROM observations WHERE status = 'ingested'")
        #expect(try rows[0].decode(Int.self, "n") == 6)
    }

    @Test func badFilesAreNamedAndTheRestGoOn() throws {
        let db = try TestDatabase.make()
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let night = folder.appendingPathComponent("night")
        try FileManager.default.createDirectory(at: night, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SharedData.ltFrames[0], to: night.appendingPathComponent("good.fits"))
        let bytes = try Data(contentsOf: SharedData.ltFrames[1])
        try bytes.prefix(bytes.count / 3).write(to: night.appendingPathComponent("truncated.fits"))
        try Data("SIMPLE? no.\n".utf8).write(to: night.appendingPathComponent("notfits.fits"))
        let output = try CommandRunner.run("nocturne", ["ingest", night.path], workingDirectory: folder,
                                           environment: ["NOCTURNE_DATABASE_URL": db.url])
        #expect(output.status == 1)
        #expect(output.stderr.contains("truncated.fits"))
        #expect(output.stderr.contains("notfits.fits"))
        #expect(output.stdout.contains("registered 1 new observation(s)"))
        let refused = try db.connection.query("SELECT count(*) AS n FROM ingest_files WHERE status = 'quarantined'")
        #expect(try refused[0].decode(Int.self, "n") == 2)
    }

    @Test func aWrongConfigValueNamesTheKey() throws {
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try CommandRunner.run("nocturne", ["ingest", "--set", "ingest.role=calibration", SharedData.ltFrames[0].path],
                                           workingDirectory: folder)
        #expect(output.status != 0)
        #expect(output.stderr.contains("ingest.role"))
    }

    @Test func theEmbeddedDatabaseStartsStopsAndKeepsItsData() throws {
        let folder = try SharedData.temporaryDirectory("nocturne-emb")
        defer {
            _ = try? CommandRunner.run("nocturne", ["db", "stop"], workingDirectory: folder)
            try? FileManager.default.removeItem(at: folder)
        }
        let first = try CommandRunner.run("nocturne", ["ingest", SharedData.ltFrames[0].path], workingDirectory: folder)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("embedded cluster at \(folder.path)/.nocturne/postgres"))
        let stop = try CommandRunner.run("nocturne", ["db", "stop"], workingDirectory: folder)
        #expect(stop.stdout.contains("stopped"))
        let again = try CommandRunner.run("nocturne", ["ingest", SharedData.ltFrames[0].path], workingDirectory: folder)
        #expect(again.stdout.contains("registered 0 new observation(s), 1 already known"))
        let status = try CommandRunner.run("nocturne", ["db", "status"], workingDirectory: folder)
        #expect(status.stdout.contains("running"))
        #expect(status.stdout.contains("0004_alerts_validation_audit.sql: applied"))
    }
}
