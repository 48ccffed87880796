import FITS
import Foundation
import Testing
import TestSupport

/// Reads the real telescope frames in ../shared/data/real and compares them
/// with the reference values astropy computed (`pixel-stats.csv`).
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
struct RealDataTests {
    static let statsRows: [[String: String]] =
        (try? SharedData.csvRows(SharedData.real("pixel-stats.csv"))) ?? []

    @Test func referenceTableListsEveryFile() {
        #expect(Self.statsRows.count == 11)
    }

    /// CFITSIO applies BSCALE/BZERO in double precision and rounds once to
    /// float32; astropy (which made the CSV) computes in float32, so for the
    /// scaled LT frames the two differ by up to one float32 step at the
    /// magnitude of BZERO (about 1e-3 for BZERO = 13023.5). That is the
    /// tolerance here; the next test shows the CSV is exactly astropy's
    /// float32 arithmetic on the same stored integers.
    @Test(arguments: statsRows)
    func pixelStatisticsMatchTheReference(row: [String: String]) throws {
        let relative = try #require(row["file"])
        let file = try FITSFile(path: SharedData.real(relative).path)
        let image = try file.readImage(as: Float.self)
        #expect(image.width == Int(row["naxis1"] ?? ""))
        #expect(image.height == Int(row["naxis2"] ?? ""))

        let header = try file.header()
        let magnitude = abs(header.double("BZERO") ?? 0)
        let stats = PixelStats(image.pixels)
        try expectClose(stats.mean, row["mean"], magnitude: magnitude, "mean of \(relative)")
        try expectClose(stats.median, row["median"], magnitude: magnitude, "median of \(relative)")
        try expectClose(stats.min, row["min"], magnitude: magnitude, "min of \(relative)")
        try expectClose(stats.max, row["max"], magnitude: magnitude, "max of \(relative)")

        let dateObs = row["date_obs"] ?? ""
        #expect(header.string("DATE-OBS") == (dateObs.isEmpty ? nil : dateObs))
        let exptime = row["exptime"] ?? ""
        #expect(header.double("EXPTIME") == (exptime.isEmpty ? nil : Double(exptime)))
    }

    @Test(arguments: statsRows.filter { $0["file"]?.hasPrefix("lt-rise") == true })
    func astropyFloat32ScalingReproducesTheReference(row: [String: String]) throws {
        let relative = try #require(row["file"])
        let file = try FITSFile(path: SharedData.real(relative).path)
        let header = try file.header()
        let (scale, zero) = (try header.requireDouble("BSCALE"), try header.requireDouble("BZERO"))
        // Double reads are exact raw * BSCALE + BZERO, so the stored integers can be recovered.
        let astropy = try file.readImage(as: Double.self).pixels.map { value -> Float in
            let raw = ((value - zero) / scale).rounded()
            return Float(raw) * Float(scale) + Float(zero)
        }
        let stats = PixelStats(astropy)
        for (name, actual) in [("mean", stats.mean), ("median", stats.median), ("min", stats.min), ("max", stats.max)] {
            let expected = try #require(row[name].flatMap(Double.init))
            #expect(abs(actual - expected) <= 1e-6, "\(name) of \(relative): \(actual) vs \(expected)")
        }
    }

    /// The CSV has 6 decimals; allow one float32 step at the larger of the
    /// value and the scaling offset, plus the CSV rounding.
    private func expectClose(_ actual: Double, _ text: String?, magnitude: Double, _ what: String) throws {
        let expected = try #require(text.flatMap(Double.init), "\(what) missing from CSV")
        let tolerance = Double(Float(max(abs(expected), magnitude)).ulp) + 1e-6
        #expect(abs(actual - expected) <= tolerance, "\(what): \(actual) vs \(expected)")
    }

    @Test func allFiveM13EncodingsGiveIdenticalPixels() throws {
        let reference = try FITSFile(path: m13("m13.fits")).readImage(as: Int16.self)
        #expect(reference.width == 300 && reference.height == 300)
        for name in m13Encodings.dropFirst() {
            let file = try FITSFile(path: m13(name))
            #expect(try file.readImage(as: Int16.self) == reference, "\(name) differs from m13.fits")
            #expect(try file.readImage(as: Double.self) == reference.map(Double.init), "\(name) as Double")
        }
    }

    @Test func compressedImageIsFoundInExtensionOne() throws {
        let file = try FITSFile(path: m13("m13_rice.fits"))
        let hdus = try file.hdus()
        #expect(hdus.count == 2)
        #expect(hdus[0].kind == .image && hdus[0].image?.axes == [])
        let image = try #require(hdus[1].image)
        #expect(hdus[1].kind == .image)
        #expect(image.isTileCompressed && image.bitpix == .int16 && image.axes == [300, 300])
        #expect(try file.moveToFirstImage().index == 1)
        #expect(try FITSFile(path: m13("m13.fits")).moveToFirstImage().index == 0)
    }

    @Test func compressedHeaderIsTheUncompressedImageHeader() throws {
        let plain = try FITSFile(path: m13("m13.fits")).header()
        let header = try FITSFile(path: m13("m13_rice.fits")).header()
        #expect(header.hduIndex == 1)
        #expect(header.int("NAXIS1") == 300 && header.int("BITPIX") == 16)
        #expect(!header.contains("ZIMAGE") && !header.contains("ZCMPTYPE"))
        #expect(header.string("CTYPE1") == "RA---TAN")
        #expect(header.double("CDELT1") == plain.double("CDELT1"))
        #expect(header.rawCards.utf8.count == header.cardCount * 80)
        #expect(header.rawCards.hasSuffix("END" + String(repeating: " ", count: 77)))
        #expect(header.cards.count == header.cardCount - 1)
        #expect(plain.cards.map(\.keyword) == plain.rawCards.chunked80.dropLast().map { $0.prefix(8).trimmingCharacters(in: .whitespaces) })
    }

    @Test func compressedFloatImageKeepsItsNaNs() throws {
        let file = try FITSFile(path: m13("compressed_with_nan.fits"))
        let info = try file.imageInfo()
        #expect(info.isTileCompressed && info.bitpix == .float64 && info.axes == [12, 12])
        let doubles = try file.readImage(as: Double.self)
        let floats = try file.readImage(as: Float.self)
        let nanPlaces = doubles.pixels.indices.filter { doubles.pixels[$0].isNaN }
        // The one blank pixel CFITSIO's null flags report is (1, 1), 0-based.
        #expect(nanPlaces == [1 * 12 + 1])
        #expect(floats.pixels.indices.filter { floats.pixels[$0].isNaN } == nanPlaces)
        #expect(doubles.blankCount == 1)
        #expect(doubles.pixels.filter { !$0.isNaN }.allSatisfy { $0.isFinite })
        try doubles.validateNotBlank(file: file.name)
    }

    @Test func scaledIntegerFrameReportsFloatAsItsNativeType() throws {
        let path = try #require(SharedData.ltFrames.first).path
        let file = try FITSFile(path: path)
        let info = try file.imageInfo()
        #expect(info.bitpix == .int16 && info.equivalentType == .float32 && !info.isTileCompressed)
        let header = try file.header()
        #expect(try header.requireDouble("BSCALE") > 0.4)
        #expect(header.string("TELESCOP") == "Liverpool Telescope")
        #expect(header.string("OBJECT") == "ucwd2_lhs3250")
        #expect(header.bool("L1SAT") == false)
        #expect(header.int("CCDXIMSI") == 1026)
        #expect(header.int("ROTCENTX") == nil && header.double("ROTCENTX") == 512)
        #expect(header.card("EXPTIME")?.comment == "Andor Corrected (true) exposure time")
    }

    @Test(arguments: m13Encodings + ["compressed_with_nan.fits"])
    func memoryOpenMatchesPathOpen(name: String) throws {
        let path = m13(name)
        let fromPath = try FITSFile(path: path)
        let fromMemory = try FITSFile(data: try Data(contentsOf: URL(fileURLWithPath: path)), name: "memory:\(name)")
        let expected = try fromPath.readImage(as: Double.self)
        let actual = try fromMemory.readImage(as: Double.self)
        #expect(actual.pixels.map(\.bitPattern) == expected.pixels.map(\.bitPattern))
        #expect(try fromMemory.header().rawCards == fromPath.header().rawCards)
        #expect(fromMemory.name == "memory:\(name)")
    }

    @Test func memoryOpenOfAScaledFrameFromBytes() throws {
        let path = try #require(SharedData.ltFrames.first).path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromMemory = try FITSFile(bytes: bytes).readImage(as: Float.self)
        #expect(try fromMemory == FITSFile(path: path).readImage(as: Float.self))
    }
}

extension String {
    /// The string cut into 80-character cards.
    var chunked80: [String] {
        let bytes = Array(utf8)
        return stride(from: 0, to: bytes.count, by: 80).map {
            String(decoding: bytes[$0..<Swift.min($0 + 80, bytes.count)], as: UTF8.self)
        }
    }
}
