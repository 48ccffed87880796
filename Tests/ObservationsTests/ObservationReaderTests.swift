import FITS
import Foundation
import Testing
import TestSupport
@testable import Observations

@Suite struct ObservationReaderTests {
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
    func readsEveryLiverpoolFrame() throws {
        let stats = try SharedData.csvRows(SharedData.real("pixel-stats.csv"))
        let frames = SharedData.ltFrames
        #expect(frames.count == 6)
        var keys = Set<String>()
        for url in frames {
            let observation = try ObservationReader.read(url)
            let row = try #require(stats.first { $0["file"] == "lt-rise-lhs3250/\(url.lastPathComponent)" })
            #expect(ObservationTime.iso8601(observation.dateObs).hasPrefix(row["date_obs"]!))
            #expect(observation.exptime == 60)
            #expect(observation.filter == "og515+kg5")
            #expect(observation.field == "ucwd2_lhs3250")
            #expect(observation.survey == "Liverpool Telescope/RISE")
            #expect(observation.width == 1030 && observation.height == 1026)
            #expect(abs(observation.centerRA - 253.49) < 0.02 && abs(observation.centerDec - 62.91) < 0.02)
            #expect(abs(observation.pixelScale - 0.529) < 0.01)
            #expect(observation.gain == 2.4)
            #expect(observation.night == "2020-08-30")
            #expect(observation.fileSHA256.count == 64)
            #expect(observation.headerJSON.contains("\"EXPTIME\":60"))
            keys.insert(observation.observationKey)
        }
        #expect(keys.count == 6, "each frame has its own observation key")
    }

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
    func theSameExposureUnderAnotherNameHasTheSameKey() throws {
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = SharedData.ltFrames[0]
        let copy = folder.appendingPathComponent("renamed.fits")
        try FileManager.default.copyItem(at: original, to: copy)
        #expect(try ObservationReader.read(copy).observationKey == ObservationReader.read(original).observationKey)
    }

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
    func truncatedFileIsNamed() throws {
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(contentsOf: SharedData.ltFrames[0])
        let cut = folder.appendingPathComponent("cut.fits")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        let error = try #require(throws: ObservationError.self) { try ObservationReader.read(cut) }
        #expect(error.kind == .unreadable)
        #expect(error.description.contains(cut.path))
    }

    @Test func nonFITSFileIsNamed() throws {
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.fits")
        try Data("this is not a FITS file\n".utf8).write(to: text)
        let error = try #require(throws: ObservationError.self) { try ObservationReader.read(text) }
        #expect(error.kind == .unreadable)
        #expect(error.description.contains(text.path))
    }

    @Test func missingWCSIsNamed() throws {
        let url = try Self.write(name: "nowcs.fits", pixels: 1, wcs: false)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = try #require(throws: ObservationError.self) { try ObservationReader.read(url) }
        #expect(error.kind == .noWCS)
        #expect(error.description.contains(url.path))
    }

    @Test func allNaNImageIsNamed() throws {
        let url = try Self.write(name: "blank.fits", pixels: .nan, wcs: true)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = try #require(throws: ObservationError.self) { try ObservationReader.read(url) }
        #expect(error.kind == .allBlank)
        #expect(error.description.contains(url.path))
    }

    @Test func missingAndBadKeysAreNamed() throws {
        let url = try Self.write(name: "nodate.fits", pixels: 1, wcs: true, dateObs: nil)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let missing = try #require(throws: ObservationError.self) { try ObservationReader.read(url) }
        #expect(missing.kind == .missingKey && missing.key == "DATE-OBS")
        let bad = try Self.write(name: "baddate.fits", pixels: 1, wcs: true, dateObs: "yesterday")
        let invalid = try #require(throws: ObservationError.self) { try ObservationReader.read(bad) }
        #expect(invalid.kind == .invalidValue && invalid.key == "DATE-OBS")
        #expect(invalid.description.contains("yesterday"))
    }

    @Test func dateDialects() throws {
        let iso = try ObservationTime.dateObs("2020-08-30T21:36:59.101", timeOfDay: nil).get()
        #expect(ObservationTime.iso8601(iso) == "2020-08-30T21:36:59.101Z")
        let split = try ObservationTime.dateObs("2020-08-30", timeOfDay: "21:36:59.101").get()
        #expect(split == iso)
        let old = try ObservationTime.dateObs("30/08/97", timeOfDay: "01:02:03").get()
        #expect(ObservationTime.iso8601(old) == "1997-08-30T01:02:03.000Z")
        #expect(abs(ObservationTime.mjd(iso) - 59091.900684) < 1e-6)
        #expect(ObservationTime.night(of: iso) == "2020-08-30")
        #expect(ObservationTime.night(of: try ObservationTime.dateObs("2020-08-31T03:00:00", timeOfDay: nil).get()) == "2020-08-30")
    }

    /// A small float image with optional TAN WCS and DATE-OBS.
    static func write(name: String, pixels: Float, wcs: Bool, dateObs: String? = "2026-11-22T21:00:00.000") throws -> URL {
        let folder = try SharedData.temporaryDirectory()
        let url = folder.appendingPathComponent(name)
        var cards: [FITSKeyValue] = [FITSKeyValue("EXPTIME", .double(30))]
        if let dateObs { cards.append(FITSKeyValue("DATE-OBS", .string(dateObs))) }
        if wcs {
            cards += [
                FITSKeyValue("CTYPE1", .string("RA---TAN")), FITSKeyValue("CTYPE2", .string("DEC--TAN")),
                FITSKeyValue("CRPIX1", .double(16)), FITSKeyValue("CRPIX2", .double(16)),
                FITSKeyValue("CRVAL1", .double(150)), FITSKeyValue("CRVAL2", .double(2)),
                FITSKeyValue("CD1_1", .double(-2.8e-4)), FITSKeyValue("CD2_2", .double(2.8e-4)),
            ]
        }
        try FITSFile.write(Image<Float>(width: 32, height: 32, repeating: pixels), to: url.path, header: cards)
        return url
    }
}
