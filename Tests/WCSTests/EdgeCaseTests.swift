import Foundation
import Testing
import WCS

/// Fields across RA = 0 and around the pole, and the errors a bad header gives.
@Suite("Edge cases and errors")
struct EdgeCaseTests {
    /// A grid of FITS pixel positions over a `size` x `size` image.
    static func grid(_ size: Int, step: Int) -> (xs: [Double], ys: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for y in stride(from: 1, through: size, by: step) {
            for x in stride(from: 1, through: size, by: step) {
                xs.append(Double(x))
                ys.append(Double(y))
            }
        }
        return (xs, ys)
    }

    static func roundTrip(_ wcs: WCSTransform, size: Int) throws -> [SkyPosition] {
        let (xs, ys) = grid(size, step: 97)
        let sky = try wcs.pixelToSky(xs: xs, ys: ys)
        #expect(sky.allSatisfy { $0.isValid && $0.ra >= 0 && $0.ra < 360 })
        let back = try wcs.skyToPixel(ras: sky.map(\.ra), decs: sky.map(\.dec))
        for index in xs.indices {
            #expect(abs(back.xs[index] - xs[index]) < 1e-6 && abs(back.ys[index] - ys[index]) < 1e-6,
                    "(\(xs[index]), \(ys[index])) came back as (\(back.xs[index]), \(back.ys[index]))")
        }
        return sky
    }

    @Test("a field straddling RA 0 round-trips and keeps RA in [0, 360)")
    func straddlesRAZero() throws {
        let wcs = try WCSTransform(TangentPlaneWCS(crpix1: 1024.5, crpix2: 1024.5,
                                                  crval: SkyPosition(ra: 0.05, dec: -12), pixelScale: 0.4))
        let sky = try Self.roundTrip(wcs, size: 2048)
        #expect(sky.contains { $0.ra > 359 } && sky.contains { $0.ra < 1 })
        let footprint = try wcs.footprint(width: 2048, height: 2048)
        #expect(footprint.contains(ra: 359.95, dec: -12))
        #expect(footprint.contains(ra: 0.15, dec: -12.1))
        #expect(!footprint.contains(ra: 359.5, dec: -12))
        #expect(!footprint.contains(ra: 1, dec: -12))
        // -0.05 and 359.95 are the same meridian.
        #expect(footprint.contains(ra: -0.05, dec: -12))
    }

    @Test("RA normalization wraps into [0, 360)")
    func raNormalization() {
        #expect(SkyPosition.normalizedRA(-0.05) == 359.95)
        #expect(SkyPosition.normalizedRA(360) == 0)
        #expect(SkyPosition.normalizedRA(725) == 5)
        #expect(SkyPosition.normalizedRA(-1e-17) == 0, "rounds to 360, must come out as 0")
        #expect(SkyPosition.normalizedRA(.nan).isNaN)
    }

    @Test("a field containing the north pole round-trips; containment works at all RAs")
    func nearThePole() throws {
        let wcs = try WCSTransform(TangentPlaneWCS(crpix1: 2048.5, crpix2: 2048.5,
                                                  crval: SkyPosition(ra: 40, dec: 89.5), pixelScale: 1))
        _ = try Self.roundTrip(wcs, size: 4096)
        let footprint = try wcs.footprint(width: 4096, height: 4096)
        // The pole is 0.5 deg from the tangent point: tan(0.5 deg) rad = 1800.05 px
        // of 1 arcsec straight up, inside the 4096-px image.
        let pole = try wcs.skyToPixel(ra: 123, dec: 90)
        let offset = tan(0.5 * Double.pi / 180) * 180 / Double.pi * 3600
        #expect(abs(pole.x - 2048.5) < 1e-6 && abs(pole.y - (2048.5 + offset)) < 1e-6)
        for ra in stride(from: 0.0, to: 360, by: 30) {
            #expect(footprint.contains(ra: ra, dec: 89.95), "RA \(ra) at Dec 89.95")
        }
        #expect(!footprint.contains(ra: 220, dec: 89))
        #expect(!footprint.contains(ra: 40, dec: 88.9))
    }

    @Test("a header without WCS is an error naming the file, not an identity map")
    func noWCS() throws {
        let bare = SyntheticHeader.image([("OBJECT", "'M13'")])
        let error = #expect(throws: WCSError.noWCS) {
            try WCSTransform(header: bare, fileName: "bare.fits")
        }
        #expect(error?.description.contains("bare.fits") == true)
        #expect(error?.description.contains("no celestial") == true)
        let linear = SyntheticHeader.image([("CTYPE1", "'LINEAR'"), ("CTYPE2", "'LINEAR'"), ("CRVAL1", "1.0")])
        let linearError = #expect(throws: WCSError.noWCS) {
            try WCSTransform(header: linear, fileName: "linear.fits")
        }
        #expect(linearError?.description.contains("'LINEAR'") == true)
        #expect(throws: WCSError.noWCS) { try WCSTransform(header: "") }
    }

    @Test("only an alternate WCS (CTYPE1A) is not taken for the primary")
    func alternateOnly() throws {
        let header = SyntheticHeader.image([
            ("CTYPE1A", "'RA---TAN'"), ("CTYPE2A", "'DEC--TAN'"), ("CRVAL1A", "10.0"), ("CRVAL2A", "20.0"),
        ])
        // NAXIS makes WCSLIB build a (linear) primary description, which has no celestial axes.
        #expect(throws: WCSError.noWCS) { try WCSTransform(header: header, fileName: "alt.fits") }
    }

    @Test("inconsistent dates become a warning, not an error: they do not move the sky")
    func dateWarning() throws {
        let header = SyntheticHeader.image(SyntheticHeader.tanCards(crpix: (1, 1), crval: (10, 20),
                                                                     cd: [[-1e-4, 0], [0, 1e-4]])
            + [("DATE-OBS", "'2020-08-30T21:36:59'"), ("MJD-OBS", "50000.0")])
        let wcs = try WCSTransform(header: header, fileName: "dates.fits")
        #expect(wcs.warnings.count == 1)
        #expect(wcs.warnings.first?.contains("datfix") == true, "\(wcs.warnings)")
        #expect(try wcs.pixelToSky(x: 1, y: 1) == SkyPosition(ra: 10, dec: 20))
    }

    @Test("invalid parameters carry WCSLIB's message and the file name")
    func invalidParameters() throws {
        let singular = SyntheticHeader.image(SyntheticHeader.tanCards(
            crpix: (1, 1), crval: (10, 20), cd: [[1e-4, 1e-4], [1e-4, 1e-4]]))
        let error = #expect(throws: WCSError.invalidParameters) {
            try WCSTransform(header: singular, fileName: "singular.fits")
        }
        #expect(error?.description.contains("singular.fits") == true)
        #expect(error?.message.localizedCaseInsensitiveContains("singular") == true, "\(String(describing: error))")
        let unknown = SyntheticHeader.image(SyntheticHeader.tanCards(
            ctype1: "RA---XYZ", ctype2: "DEC--XYZ", crpix: (1, 1), crval: (10, 20), cd: [[-1e-4, 0], [0, 1e-4]]))
        #expect(throws: WCSError.invalidParameters) { try WCSTransform(header: unknown, fileName: "xyz.fits") }
        let wcs = try WCSTransform(TangentPlaneWCS(crpix1: 1, crpix2: 1, crval: SkyPosition(ra: 1, dec: 2),
                                                   pixelScale: 1))
        #expect(throws: WCSError.conversionFailed) { try wcs.pixelToSky(x: .nan, y: 1) }
        #expect(throws: WCSError.conversionFailed) { try wcs.skyToPixel(ra: 1, dec: .nan) }
    }

    @Test("text that is not 80-character cards is rejected before WCSLIB sees it")
    func invalidHeader() throws {
        let header = SyntheticHeader.image(SyntheticHeader.tanCards(crpix: (1, 1), crval: (10, 20),
                                                                     cd: [[-1e-4, 0], [0, 1e-4]]))
        #expect(throws: WCSError.invalidHeader) { try WCSTransform(header: header + "X") }
        let lines = stride(from: 0, to: header.count, by: 80).map {
            String(header.dropFirst($0).prefix(80))
        }.joined(separator: "\n")
        #expect(throws: WCSError.invalidHeader) { try WCSTransform(header: lines, fileName: "lines.fits") }
        // A trailing NUL, as fits_hdr2str leaves, is fine.
        _ = try WCSTransform(header: header + "\0")
    }

    @Test("a sky position behind the tangent plane fails with WCSLIB's message; arrays give NaN")
    func conversionFailure() throws {
        let wcs = try WCSTransform(TangentPlaneWCS(crpix1: 100, crpix2: 100,
                                                  crval: SkyPosition(ra: 10, dec: 20), pixelScale: 1),
                                   fileName: "tan.fits")
        let error = #expect(throws: WCSError.conversionFailed) { try wcs.skyToPixel(ra: 190, dec: -20) }
        #expect(error?.description.contains("tan.fits") == true)
        #expect(error?.message.isEmpty == false)
        let batch = try wcs.skyToPixel(ras: [10, 190, 10.001], decs: [20, -20, 20])
        #expect(batch.xs[0] == 100 && batch.ys[0] == 100)
        #expect(batch.xs[1].isNaN && batch.ys[1].isNaN)
        #expect(batch.xs[2].isFinite)
        #expect(!(try wcs.footprint(width: 200, height: 200)).contains(ra: 190, dec: -20))
    }
}
