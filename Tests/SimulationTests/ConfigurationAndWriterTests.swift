import Foundation
import Testing
@testable import Simulation

@Suite struct ConfigurationAndWriterTests {
    @Test func defaultsRoundTripThroughJSON() throws {
        let original = NightConfiguration()
        let data = try JSONEncoder().encode(original)
        #expect(try JSONDecoder().decode(NightConfiguration.self, from: data) == original)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"reference_exposures\"") && text.contains("\"star_count_slope\""))
    }

    @Test func missingKeysTakeTheirDefaults() throws {
        let json = #"{"fields": 2, "conditions": {"fwhm": [2, 3]}}"#
        let decoded = try JSONDecoder().decode(NightConfiguration.self, from: Data(json.utf8))
        var expected = NightConfiguration()
        expected.fields = 2
        expected.conditions.fwhm = ValueRange(2, 3)
        #expect(decoded == expected)
    }

    @Test func unknownKeyIsRefusedByName() {
        let json = #"{"conditions": {"fwhm_px": [2, 3]}}"#
        do {
            _ = try JSONDecoder().decode(NightConfiguration.self, from: Data(json.utf8))
            Issue.record("an unknown key was accepted")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["conditions", "fwhm_px"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: ["fields", "conditions.fwhm", "camera.gain", "night.start", "epochs",
                      "injections.near_star_fraction"])
    func badValuesNameTheirKey(key: String) {
        var c = NightConfiguration()
        switch key {
        case "fields": c.fields = 0
        case "conditions.fwhm": c.conditions.fwhm = ValueRange(3, 2)
        case "camera.gain": c.camera.gain = 0
        case "night.start": c.night.start = "2026-13-01T00:00:00"
        case "epochs": c.epochs = 200  // 3 fields x 200 slots of 2 min do not fit in 8 h
        default: c.injections.nearStarFraction = 0.8
        }
        do {
            try c.validate()
            Issue.record("\(key): a bad value was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func clockFormatsAndParsesUTC() throws {
        let start = try #require(NightClock.milliseconds(iso: "2026-11-22T20:00:00"))
        #expect(NightClock.iso(milliseconds: start) == "2026-11-22T20:00:00.000")
        #expect(abs(NightClock.mjd(milliseconds: start) - (61366 + 20.0 / 24)) < 1e-9)
        #expect(NightClock.iso(milliseconds: start + 8 * 3_600_000 + 1) == "2026-11-23T04:00:00.001")
        #expect(NightClock.mjd(iso: "2000-01-01T12:00:00Z") == 51544.5)
        #expect(NightClock.milliseconds(iso: "2026-02-29T00:00:00") == nil)
    }

    @Test func writerLaysOutTheNight() throws {
        var configuration = Fixtures.night(size: 96, fields: 2, epochs: 2)
        configuration.referenceExposures = 2
        let directory = try Fixtures.temporaryDirectory("sim-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        var reports = [NightWriter.Progress]()
        try NightWriter(directory: directory).write(try NightSimulator(configuration: configuration)) { reports.append($0) }
        let manager = FileManager.default
        let science = try manager.contentsOfDirectory(atPath: directory.appendingPathComponent("science").path).sorted()
        let reference = try manager.contentsOfDirectory(atPath: directory.appendingPathComponent("reference").path).sorted()
        #expect(science == ["NOC-F00-E00.fits", "NOC-F00-E01.fits", "NOC-F01-E00.fits", "NOC-F01-E01.fits"])
        #expect(reference == ["NOC-F00-REF.fits", "NOC-F00-REF01.fits", "NOC-F00-REF02.fits",
                              "NOC-F01-REF.fits", "NOC-F01-REF01.fits", "NOC-F01-REF02.fits"])
        #expect(reports.map(\.done) == Array(1...10) && reports.allSatisfy { $0.total == 10 })
        let truth = try String(contentsOf: directory.appendingPathComponent("truth.csv"), encoding: .utf8)
        #expect(truth.hasPrefix(TruthTable.header + "\n"))
        let sources = try String(contentsOf: directory.appendingPathComponent("sources.csv"), encoding: .utf8)
        #expect(sources.hasPrefix(SourceTable.columns.joined(separator: ",") + "\n"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("night.json")))
        let object = try #require(manifest as? [String: Any])
        #expect(object["zero_point"] as? Double == 25)
        #expect((object["images"] as? [Any])?.count == 10)
    }

    @Test func unwritableFolderIsAnOutputError() throws {
        let directory = try Fixtures.temporaryDirectory("sim-unwritable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let simulator = try NightSimulator(configuration: Fixtures.night(size: 64, fields: 1, epochs: 1))
        do {
            try NightWriter(directory: file.appendingPathComponent("night")).write(simulator)
            Issue.record("writing under a plain file succeeded")
        } catch {
            #expect(error.code == .output)
            #expect(error.path?.hasPrefix(file.path) == true, "\(error)")
        }
    }
}
