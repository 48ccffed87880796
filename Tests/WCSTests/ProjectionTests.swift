import Foundation
import Testing
import WCS

/// Synthetic TAN, SIP and TPV headers checked against the published formulas
/// (``SyntheticHeader``), so a wrong WCSLIB set-up cannot agree with itself.
@Suite("Synthetic projections")
struct ProjectionTests {
    static let crpix = (1024.5, 1000.25)
    static let crval = (150.1, 2.2)
    /// 0.4 arcsec pixels rotated by 30 degrees, east left.
    static let cd: [[Double]] = {
        let scale = 0.4 / 3600, angle = 30 * Double.pi / 180
        return [[-scale * cos(angle), -scale * sin(angle)], [-scale * sin(angle), scale * cos(angle)]]
    }()
    /// Pixel positions spread over a 2048 x 2048 image, corners included.
    static let samples: [(Double, Double)] = [
        (1, 1), (2048, 1), (2048, 2048), (1, 2048), (1024.5, 1000.25), (100.3, 1800.7), (1500, 250),
    ]

    static func expectClose(_ sky: SkyPosition, _ expected: (ra: Double, dec: Double),
                            tolerance: Double = 1e-10, _ label: String) {
        let dRA = SyntheticHeader.raDifference(sky.ra, expected.ra)
        #expect(abs(dRA) < tolerance && abs(sky.dec - expected.dec) < tolerance,
                "\(label): got (\(sky.ra), \(sky.dec)), expected (\(expected.ra), \(expected.dec))")
    }

    @Test("TAN with a CD matrix follows the gnomonic formulas")
    func tanWithCD() throws {
        let header = SyntheticHeader.image(SyntheticHeader.tanCards(crpix: Self.crpix, crval: Self.crval, cd: Self.cd))
        let wcs = try WCSTransform(header: header, fileName: "tan-cd.fits")
        for (x, y) in Self.samples {
            let (xi, eta) = SyntheticHeader.applyCD(Self.cd, x - Self.crpix.0, y - Self.crpix.1)
            let expected = SyntheticHeader.gnomonic(xi: xi, eta: eta, ra0: Self.crval.0, dec0: Self.crval.1)
            Self.expectClose(try wcs.pixelToSky(x: x, y: y), expected, "(\(x), \(y))")
        }
        #expect(abs(wcs.pixelScale - 0.4) < 1e-12)
        #expect(wcs.cdMatrix == Self.cd)
    }

    @Test("PC + CDELT and legacy CROTA2 + CDELT give the same mapping as the equivalent CD")
    func pcAndCrotaMatchCD() throws {
        let cdWCS = try WCSTransform(header: SyntheticHeader.image(
            SyntheticHeader.tanCards(crpix: Self.crpix, crval: Self.crval, cd: Self.cd)))
        let scale = 0.4 / 3600, angle = 30 * Double.pi / 180
        let common: [(String, String)] = [
            ("CTYPE1", "'RA---TAN'"), ("CTYPE2", "'DEC--TAN'"),
            ("CRPIX1", "\(Self.crpix.0)"), ("CRPIX2", "\(Self.crpix.1)"),
            ("CRVAL1", "\(Self.crval.0)"), ("CRVAL2", "\(Self.crval.1)"),
            ("CDELT1", SyntheticHeader.fits(-scale)), ("CDELT2", SyntheticHeader.fits(scale)),
        ]
        // PCi_j = CDi_j / CDELTi.
        let pc = common + [
            ("PC1_1", "\(cos(angle))"), ("PC1_2", "\(sin(angle))"),
            ("PC2_1", "\(-sin(angle))"), ("PC2_2", "\(cos(angle))"),
        ]
        let crota = common + [("CROTA2", "30.0")]
        for (name, cards) in [("PC", pc), ("CROTA2", crota)] {
            let wcs = try WCSTransform(header: SyntheticHeader.image(cards), fileName: name)
            for row in 0..<2 {
                for column in 0..<2 {
                    #expect(abs(wcs.cdMatrix[row][column] - Self.cd[row][column]) < 1e-18, "\(name) CD")
                }
            }
            for (x, y) in Self.samples {
                let expected = try cdWCS.pixelToSky(x: x, y: y)
                Self.expectClose(try wcs.pixelToSky(x: x, y: y), (expected.ra, expected.dec), "\(name) (\(x), \(y))")
            }
        }
    }

    @Test("SIP A_p_q / B_p_q are applied before the CD matrix")
    func sip() throws {
        let a = ["2_0": 2.1e-6, "1_1": -3.0e-6, "0_2": 1.5e-6, "3_0": 4.0e-9, "1_2": -2.5e-9]
        let b = ["2_0": -1.2e-6, "1_1": 2.2e-6, "0_2": 3.3e-6, "0_3": -3.0e-9, "2_1": 1.0e-9]
        var cards = SyntheticHeader.tanCards(ctype1: "RA---TAN-SIP", ctype2: "DEC--TAN-SIP",
                                             crpix: Self.crpix, crval: Self.crval, cd: Self.cd)
        cards += [("A_ORDER", "3"), ("B_ORDER", "3")]
        cards += a.sorted { $0.key < $1.key }.map { ("A_\($0.key)", SyntheticHeader.fits($0.value)) }
        cards += b.sorted { $0.key < $1.key }.map { ("B_\($0.key)", SyntheticHeader.fits($0.value)) }
        let wcs = try WCSTransform(header: SyntheticHeader.image(cards), fileName: "sip.fits")
        let plain = try WCSTransform(header: SyntheticHeader.image(
            SyntheticHeader.tanCards(crpix: Self.crpix, crval: Self.crval, cd: Self.cd)))
        for (x, y) in Self.samples {
            let expected = SyntheticHeader.sip(x: x, y: y, crpix: Self.crpix, crval: Self.crval,
                                               cd: Self.cd, a: a, b: b)
            let sky = try wcs.pixelToSky(x: x, y: y)
            Self.expectClose(sky, expected, "SIP (\(x), \(y))")
            // Inverse: WCSLIB iterates the distortion; it must land on the pixel.
            let pixel = try wcs.skyToPixel(ra: sky.ra, dec: sky.dec)
            #expect(abs(pixel.x - x) < 1e-6 && abs(pixel.y - y) < 1e-6, "SIP inverse at (\(x), \(y))")
        }
        // The distortion is large enough that ignoring it would be caught.
        let corner = try plain.pixelToSky(x: 1, y: 1)
        #expect(corner.separation(to: try wcs.pixelToSky(x: 1, y: 1)) * 3600 > 1)
        #expect(abs(try wcs.localPixelScale(x: 1, y: 1) - 0.4) > 1e-3)
    }

    @Test("TPV PVi_m polynomial is applied to the intermediate coordinates")
    func tpv() throws {
        let pv1: [Int: Double] = [0: 1.0e-5, 1: 1.0002, 2: -3.0e-4, 3: 2.0e-4, 4: 0.02, 5: -0.015,
                                  6: 0.01, 7: 0.3, 9: -0.2, 11: 0.1]
        let pv2: [Int: Double] = [0: -2.0e-5, 1: 0.9997, 2: 4.0e-4, 4: -0.025, 5: 0.012, 6: 0.018,
                                  8: 0.25, 10: -0.15, 11: -0.05]
        var cards = SyntheticHeader.tanCards(ctype1: "RA---TPV", ctype2: "DEC--TPV",
                                             crpix: Self.crpix, crval: Self.crval, cd: Self.cd)
        cards += pv1.sorted { $0.key < $1.key }.map { ("PV1_\($0.key)", SyntheticHeader.fits($0.value)) }
        cards += pv2.sorted { $0.key < $1.key }.map { ("PV2_\($0.key)", SyntheticHeader.fits($0.value)) }
        let wcs = try WCSTransform(header: SyntheticHeader.image(cards), fileName: "tpv.fits")
        for (x, y) in Self.samples {
            let expected = SyntheticHeader.tpv(x: x, y: y, crpix: Self.crpix, crval: Self.crval,
                                               cd: Self.cd, pv1: pv1, pv2: pv2)
            let sky = try wcs.pixelToSky(x: x, y: y)
            Self.expectClose(sky, expected, "TPV (\(x), \(y))")
            let pixel = try wcs.skyToPixel(ra: sky.ra, dec: sky.dec)
            #expect(abs(pixel.x - x) < 1e-6 && abs(pixel.y - y) < 1e-6, "TPV inverse at (\(x), \(y))")
        }
    }

    @Test("TangentPlaneWCS cards parse back to the parameters, exactly")
    func tangentPlaneParameters() throws {
        let parameters = TangentPlaneWCS(crpix1: Self.crpix.0, crpix2: Self.crpix.1,
                                         crval: SkyPosition(ra: Self.crval.0, dec: Self.crval.1),
                                         pixelScale: 0.4, rotation: 30)
        let cards = parameters.headerCards()
        #expect(cards.utf8.count % 80 == 0)
        let wcs = try WCSTransform(parameters)
        #expect(wcs.crpix == [Self.crpix.0, Self.crpix.1])
        #expect(wcs.crval == [Self.crval.0, Self.crval.1])
        #expect(wcs.cdMatrix == [[parameters.cd11, parameters.cd12], [parameters.cd21, parameters.cd22]])
        for row in 0..<2 {
            for column in 0..<2 { #expect(abs(wcs.cdMatrix[row][column] - Self.cd[row][column]) < 1e-18) }
        }
        #expect(abs(wcs.pixelScale - 0.4) < 1e-12)
    }
}
