import Foundation
import Observations
import Testing
import TestSupport
@testable import Store

@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
struct ObservationRegistryTests {
    @Test func registersANightOnceWhateverIsRepeated() throws {
        let db = try TestDatabase.make()
        let store = PipelineStore(connection: db.connection)
        let run = try store.createRun(kind: .live, codeVersion: "test", source: "lt-rise-lhs3250")
        let observations = try SharedData.ltFrames.map { try ObservationReader.read($0) }
        let first = try observations.map { try store.register($0, runID: run) }
        #expect(first.allSatisfy { if case .registered = $0 { true } else { false } })
        // The same bytes again: nothing new.
        let again = try store.register(observations[2], runID: run)
        #expect(again == .duplicateFile(first[2].observationID))
        // The same exposure under another name: one observation row.
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("copy.fits")
        var bytes = try Data(contentsOf: SharedData.ltFrames[0])
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 2880))   // different bytes, same header
        try bytes.write(to: copy)
        let renamed = try store.register(try ObservationReader.read(copy), runID: run)
        #expect(renamed == .duplicateObservation(first[0].observationID))
        let count = try db.connection.query("SELECT count(*) AS n FROM observations")[0].decode(Int.self, "n")
        #expect(count == 6)
        let files = try db.connection.query("SELECT status, times_seen FROM ingest_files ORDER BY first_seen_at")
        #expect(files.count == 7)
        #expect(try files.filter { try $0.decode(String.self, "status") == "duplicate" }.count == 1)
        // Listing comes back in DATE-OBS order with what the demo prints.
        let summaries = try store.observationSummaries()
        #expect(summaries.map(\.dateObs) == summaries.map(\.dateObs).sorted())
        #expect(summaries.allSatisfy { $0.status == "ingested" && $0.filter == "og515+kg5" && $0.exptime == 60 })
        #expect(summaries.first?.survey == "Liverpool Telescope/RISE")
    }

    @Test func refusedFilesAreRecordedWithTheirReason() throws {
        let db = try TestDatabase.make()
        let store = PipelineStore(connection: db.connection)
        let run = try store.createRun(kind: .live, codeVersion: "test")
        let sha = String(repeating: "ab", count: 32)
        try store.recordRefusedFile(path: "/night/bad.fits", size: 10, sha256: sha, reason: "bad.fits: unreadable", runID: run)
        try store.recordRefusedFile(path: "/night/bad.fits", size: 10, sha256: sha, reason: "bad.fits: unreadable", runID: run)
        let rows = try db.connection.query("SELECT status, reason, times_seen FROM ingest_files")
        #expect(rows.count == 1)
        #expect(try rows[0].decode(String.self, "status") == "quarantined")
        #expect(try rows[0].decode(Int.self, "times_seen") == 2)
    }
}
