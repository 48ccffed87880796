import FITS
import Foundation
import Testing
import WCS
@testable import Simulation

/// Writes one small night and reads it back the way the pipeline will.
@Suite struct HeaderAndWCSTests {
    static let night: (directory: URL, simulator: NightSimulator, truth: [[String: String]]) = {
        var configuration = Fixtures.night(size: 256, fields: 3, epochs: 2, seed: 21)
        configuration.referenceExposures = 1
        let simulator = try! NightSimulator(configuration: configuration)
        // One fixed folder, replaced on every run, so repeated runs leave no litter.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-sim-header-tests")
        try? FileManager.default.removeItem(at: directory)
        try! NightWriter(directory: directory).write(simulator)
        return (directory, simulator, try! TruthFile.read(directory.appendingPathComponent("truth.csv")))
    }()

    static let cameraKeys = [
        "SIMPLE", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "DATE-OBS", "MJD-OBS", "EXPTIME", "FILTER", "OBJECT",
        "AIRMASS", "GAIN", "RDNOISE", "SATURATE", "TELESCOP", "INSTRUME", "RA", "DEC", "IMAGETYP", "NOCSEED",
        "NOCEPOCH", "CTYPE1", "CTYPE2", "CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2", "CD1_1", "CD1_2", "CD2_1", "CD2_2",
    ]

    @Test func everyImageCarriesTheCameraKeys() throws {
        for exposure in Self.night.simulator.exposures {
            let header = try FITSFile(path: Self.night.directory.appendingPathComponent(exposure.path).path).header()
            for key in Self.cameraKeys {
                #expect(header.contains(key), "\(exposure.path) has no \(key)")
            }
            #expect(header.double("EXPTIME") == exposure.exposureTime)
            #expect(header.string("OBJECT") == exposure.fieldName)
            #expect(header.string("TELESCOP") == "Nocturne Sim 1.0m")
            #expect(header.string("INSTRUME") == "SimCam")
            #expect(header.string("IMAGETYP") == (exposure.kind == .science ? "science" : "reference"))
            #expect(header.int("NOCEPOCH") == exposure.epoch)
            #expect(try #require(header.double("AIRMASS")) >= 1)
            let date = try #require(header.string("DATE-OBS"))
            #expect(date.count == 23 && date.contains("T") && date.contains("."), "DATE-OBS \(date) is not ISO with ms")
            let mjd = try #require(header.double("MJD-OBS"))
            #expect(abs(mjd - exposure.mjdStart) < 1e-9)
        }
    }

    @Test func dateObsAndMJDObsAgree() throws {
        let exposure = Self.night.simulator.plan.fields[1].science[1]
        let header = try FITSFile(path: Self.night.directory.appendingPathComponent(exposure.path).path).header()
        let transform = try WCSTransform(header: header.rawCards)
        // WCSLIB cross-checks DATE-OBS against MJD-OBS and warns on a mismatch.
        #expect(transform.warnings.isEmpty, "\(transform.warnings)")
        #expect(NightClock.mjd(iso: try #require(header.string("DATE-OBS"))).map { abs($0 - exposure.mjdStart) < 1e-9 } == true)
    }

    /// The truth positions go through the written WCS both ways to 1e-6 px.
    @Test func truthPositionsAgreeWithTheWrittenWCS() throws {
        var checked = 0
        for field in Self.night.simulator.plan.fields {
            let referencePath = Self.night.directory.appendingPathComponent(field.reference.path).path
            let reference = try WCSTransform(header: FITSFile(path: referencePath).header().rawCards)
            for exposure in field.science + field.referenceExposures {
                let path = Self.night.directory.appendingPathComponent(exposure.path).path
                let transform = try WCSTransform(header: FITSFile(path: path).header().rawCards)
                let rows = Self.night.truth.filter { $0["image"] == exposure.path }
                #expect(!rows.isEmpty)
                for row in rows {
                    let ra = try #require(Double(row["ra"]!)), dec = try #require(Double(row["dec"]!))
                    let pixel = try transform.skyToPixel(ra: ra, dec: dec)
                    #expect(abs(pixel.x - Double(row["x"]!)!) < 1e-6 && abs(pixel.y - Double(row["y"]!)!) < 1e-6,
                            "\(row["object_id"]!) in \(exposure.path)")
                    let onReference = try reference.skyToPixel(ra: ra, dec: dec)
                    #expect(abs(onReference.x - Double(row["x_ref"]!)!) < 1e-6)
                    #expect(abs(onReference.y - Double(row["y_ref"]!)!) < 1e-6)
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    /// The pole field and the RA = 0 field have valid WCSs everywhere; the
    /// RA = 0 field's footprint straddles RA 0 in every image.
    @Test func poleAndRAZeroFieldsHaveValidFootprints() throws {
        let fields = Self.night.simulator.plan.fields
        let c = Self.night.simulator.configuration
        for exposure in fields[1].exposures + fields[2].exposures {
            let path = Self.night.directory.appendingPathComponent(exposure.path).path
            let transform = try WCSTransform(header: FITSFile(path: path).header().rawCards)
            let footprint = try transform.footprint(width: c.width, height: c.height)
            #expect(footprint.corners.allSatisfy { $0.isValid })
            if exposure.field == 1 {
                #expect(footprint.corners.allSatisfy { $0.dec > 88 && $0.dec < 89 })
                // So close to the pole the image spans degrees of RA.
                let ras = footprint.corners.map(\.ra)
                #expect(ras.max()! - ras.min()! > 1)
            } else {
                let ras = footprint.corners.map(\.ra)
                #expect(ras.contains { $0 > 359 } && ras.contains { $0 < 1 }, "\(exposure.path): corners \(ras)")
            }
        }
        // Objects of the RA = 0 field sit on both sides of RA 0.
        let ras = fields[2].stars.map(\.ra)
        #expect(ras.contains { $0 > 359 } && ras.contains { $0 < 1 })
    }
}

/// Reads `truth.csv` (no quoted fields) into dictionaries by column.
enum TruthFile {
    static func read(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(columns, fields))
        }
    }
}
