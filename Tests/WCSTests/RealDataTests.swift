import Foundation
import Testing
import TestSupport
import WCS

/// The real frames in ../shared/data/real against astropy's `all_pix2world`
/// (origin 1) in wcs-reference.csv. The compressed m13 files keep their image
/// and WCS in extension 1, which ``TestHeaderReader`` reads.
@Suite("WCS on real frames", .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)))
struct RealDataTests {
    struct Reference {
        let file: String
        let x: Double, y: Double, ra: Double, dec: Double
    }

    static func references() throws -> [Reference] {
        try SharedData.csvRows(SharedData.real("wcs-reference.csv")).map { row in
            Reference(file: row["file"]!, x: Double(row["x_fits"]!)!, y: Double(row["y_fits"]!)!,
                      ra: Double(row["ra_deg"]!)!, dec: Double(row["dec_deg"]!)!)
        }
    }

    static func transform(_ file: String) throws -> WCSTransform {
        let header = try TestHeaderReader.imageHeader(of: SharedData.real(file))
        return try WCSTransform(header: header, fileName: file)
    }

    @Test("pixel to sky agrees with astropy to 1e-7 degrees for every reference row")
    func matchesAstropy() throws {
        let references = try Self.references()
        #expect(references.count == 66)
        for (file, rows) in Dictionary(grouping: references, by: \.file) {
            let wcs = try Self.transform(file)
            for row in rows {
                let sky = try wcs.pixelToSky(x: row.x, y: row.y)
                let dRA = SyntheticHeader.raDifference(sky.ra, row.ra)
                #expect(abs(dRA) < 1e-7, "\(file) (\(row.x), \(row.y)): RA \(sky.ra) vs \(row.ra)")
                #expect(abs(sky.dec - row.dec) < 1e-7, "\(file) (\(row.x), \(row.y)): Dec \(sky.dec) vs \(row.dec)")
                #expect(sky.ra >= 0 && sky.ra < 360)
            }
        }
    }

    @Test("sky to pixel inverts pixel to sky to 1e-6 pixels")
    func roundTrip() throws {
        for (file, rows) in Dictionary(grouping: try Self.references(), by: \.file) {
            let wcs = try Self.transform(file)
            let pixels = try wcs.skyToPixel(ras: rows.map(\.ra), decs: rows.map(\.dec))
            let back = try wcs.skyToPixel(ras: try rows.map { try wcs.pixelToSky(x: $0.x, y: $0.y).ra },
                                          decs: try rows.map { try wcs.pixelToSky(x: $0.x, y: $0.y).dec })
            for (index, row) in rows.enumerated() {
                #expect(abs(back.xs[index] - row.x) < 1e-6 && abs(back.ys[index] - row.y) < 1e-6,
                        "\(file): (\(row.x), \(row.y)) came back as (\(back.xs[index]), \(back.ys[index]))")
                // astropy's positions carry 1e-10 degree rounding: ~1e-6 px at 0.5"/px.
                #expect(abs(pixels.xs[index] - row.x) < 1e-3 && abs(pixels.ys[index] - row.y) < 1e-3)
            }
        }
    }

    @Test("LT frame: CD matrix, CROTA and CDELT present together; CD wins, scale 0.529 arcsec")
    func liverpoolTelescopeParameters() throws {
        let wcs = try Self.transform("lt-rise-lhs3250/q_e_20200830_1_1_1_1.fits")
        #expect(wcs.ctype == ["RA---TAN", "DEC--TAN"])
        #expect(wcs.crpix == [524, 524])
        #expect(wcs.referencePosition == SkyPosition(ra: 253.490364737, dec: 62.909306098))
        #expect(wcs.cdMatrix == [[-3.359579e-06, -0.000146977308], [-0.000146977308, 3.359579e-06]])
        #expect(abs(wcs.pixelScale - 0.000147015759 * 3600) < 1e-6)
        #expect(abs(try wcs.localPixelScale(x: 524, y: 524) - wcs.pixelScale) < 1e-6)
    }

    @Test("footprint corners are the reference corners; centre and containment")
    func footprint() throws {
        let file = "m13-compressed/m13.fits"
        let wcs = try Self.transform(file)
        let rows = try Self.references().filter { $0.file == file }
        let footprint = try wcs.footprint(width: 300, height: 300)
        let expected = [(1.0, 1.0), (300.0, 1.0), (300.0, 300.0), (1.0, 300.0)].map { corner in
            rows.first { $0.x == corner.0 && $0.y == corner.1 }!
        }
        for (corner, row) in zip(footprint.corners, expected) {
            #expect(abs(corner.ra - row.ra) < 1e-7 && abs(corner.dec - row.dec) < 1e-7)
        }
        let center = try wcs.center(width: 300, height: 300)
        #expect(abs(center.ra - 250.4226) < 1e-9 && abs(center.dec - 36.4602) < 1e-9)
        #expect(footprint.contains(center))
        #expect(!footprint.contains(ra: 250.4226, dec: 36.6))
        #expect(abs(wcs.pixelScale - 0.00027770002 * 3600) < 1e-9)
    }

    @Test("compressed copies carry the same WCS as the plain m13 file")
    func compressedHeaders() throws {
        let plain = try Self.transform("m13-compressed/m13.fits")
        for name in ["m13_rice", "m13_gzip", "m13_hcomp", "m13_plio"] {
            let compressed = try Self.transform("m13-compressed/\(name).fits")
            #expect(compressed.crval == plain.crval && compressed.crpix == plain.crpix)
            #expect(compressed.cdMatrix == plain.cdMatrix)
        }
    }
}
