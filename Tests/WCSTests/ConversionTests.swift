import Foundation
import Testing
import WCS

/// Batch against single conversions, array (0-based) coordinates, header
/// round trips through wcshdo, concurrency, and the conversion rate.
@Suite("Conversions")
struct ConversionTests {
    static let sipCards: [(String, String)] = SyntheticHeader.tanCards(
        ctype1: "RA---TAN-SIP", ctype2: "DEC--TAN-SIP", crpix: (512.5, 500), crval: (210.5, -33.3),
        cd: [[-1.1e-4, 2.0e-6], [1.5e-6, 1.1e-4]])
        + [("A_ORDER", "2"), ("B_ORDER", "2"), ("A_2_0", "3.0E-6"), ("A_1_1", "-1.0E-6"),
           ("B_0_2", "2.0E-6"), ("B_1_1", "1.5E-6")]

    static func sipTransform(fileName: String? = nil) throws -> WCSTransform {
        try WCSTransform(header: SyntheticHeader.image(width: 1024, height: 1024, sipCards), fileName: fileName)
    }

    /// Reproducible pseudo-random pixel positions over a 1024 x 1024 image.
    static func positions(_ count: Int) -> (xs: [Double], ys: [Double]) {
        var generator = SeededGenerator(seed: 42)
        let xs = (0..<count).map { _ in Double.random(in: 0.5...1024.5, using: &generator) }
        let ys = (0..<count).map { _ in Double.random(in: 0.5...1024.5, using: &generator) }
        return (xs, ys)
    }

    @Test("batch conversion equals point-by-point conversion, both ways")
    func batchEqualsSingle() throws {
        let wcs = try Self.sipTransform()
        let (xs, ys) = Self.positions(500)
        let batch = try wcs.pixelToSky(xs: xs, ys: ys)
        for index in xs.indices {
            #expect(batch[index] == (try wcs.pixelToSky(x: xs[index], y: ys[index])))
        }
        let pixels = try wcs.skyToPixel(ras: batch.map(\.ra), decs: batch.map(\.dec))
        for index in xs.indices {
            let single = try wcs.skyToPixel(ra: batch[index].ra, dec: batch[index].dec)
            #expect(single.x == pixels.xs[index] && single.y == pixels.ys[index])
        }
    }

    @Test("array coordinates are FITS coordinates minus one")
    func arrayCoordinates() throws {
        let wcs = try Self.sipTransform()
        #expect(try wcs.pixelToSky(arrayX: 0, arrayY: 0) == (try wcs.pixelToSky(x: 1, y: 1)))
        #expect(try wcs.pixelToSky(arrayXs: [10, 20.5], arrayYs: [30, 40.25])
            == (try wcs.pixelToSky(xs: [11, 21.5], ys: [31, 41.25])))
        let sky = try wcs.pixelToSky(x: 300, y: 700)
        let fits = try wcs.skyToPixel(ra: sky.ra, dec: sky.dec)
        let array = try wcs.skyToArrayPixel(ra: sky.ra, dec: sky.dec)
        #expect(array.x == fits.x - 1 && array.y == fits.y - 1)
        let arrays = try wcs.skyToArrayPixel(ras: [sky.ra], decs: [sky.dec])
        #expect(arrays.xs == [array.x] && arrays.ys == [array.y])
        #expect(try wcs.pixelToSky(xs: [], ys: []).isEmpty)
    }

    @Test("headerCards (wcshdo) parses back to the same mapping for CD, CROTA and SIP")
    func headerRoundTrip() throws {
        let crota = SyntheticHeader.image([
            ("CTYPE1", "'RA---TAN'"), ("CTYPE2", "'DEC--TAN'"), ("CRPIX1", "200.0"), ("CRPIX2", "180.0"),
            ("CRVAL1", "83.6"), ("CRVAL2", "22.0"), ("CDELT1", "-2.0E-4"), ("CDELT2", "2.0E-4"), ("CROTA2", "-12.5"),
        ])
        let tpv = SyntheticHeader.image(SyntheticHeader.tanCards(
            ctype1: "RA---TPV", ctype2: "DEC--TPV", crpix: (512, 512), crval: (300, 45),
            cd: [[-1e-4, 0], [0, 1e-4]]) + [("PV1_1", "1.0"), ("PV2_1", "1.0"), ("PV1_5", "0.02"), ("PV2_11", "0.5")])
        let originals = [try Self.sipTransform(), try WCSTransform(header: crota), try WCSTransform(header: tpv)]
        let (xs, ys) = Self.positions(50)
        for original in originals {
            let cards = try original.headerCards()
            #expect(cards.utf8.count % 80 == 0 && !cards.isEmpty)
            #expect(!cards.contains("CROTA"), "legacy CROTA is written as PC")
            let copy = try WCSTransform(header: cards)
            let before = try original.pixelToSky(xs: xs, ys: ys)
            let after = try copy.pixelToSky(xs: xs, ys: ys)
            for (a, b) in zip(before, after) { #expect(a.separation(to: b) < 1e-11) }
        }
        #expect(try originals[0].headerCards().contains("A_2_0"), "SIP is written in its native form")
        #expect(try originals[2].headerCards().contains("PV2_11"), "TPV is written in its native form")
        #expect(originals[2].ctype == ["RA---TPV", "DEC--TPV"])
    }

    @Test("concurrent conversions on one transform agree with serial ones")
    func concurrent() async throws {
        let wcs = try Self.sipTransform()
        let (xs, ys) = Self.positions(2000)
        let expected = try wcs.pixelToSky(xs: xs, ys: ys)
        try await withThrowingTaskGroup(of: [SkyPosition].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var result: [SkyPosition] = []
                    for index in xs.indices { result.append(try wcs.pixelToSky(x: xs[index], y: ys[index])) }
                    return result
                }
            }
            for try await result in group { #expect(result == expected) }
        }
    }

    @Test("conversion rate (printed): 200,000 points each way")
    func conversionRate() throws {
        for (name, wcs) in [("TAN", try WCSTransform(TangentPlaneWCS(
            crpix1: 512, crpix2: 512, crval: SkyPosition(ra: 210, dec: -33), pixelScale: 0.4))),
                            ("SIP", try Self.sipTransform())] {
            let (xs, ys) = Self.positions(200_000)
            let clock = ContinuousClock()
            var sky: [SkyPosition] = []
            let forward = try clock.measure { sky = try wcs.pixelToSky(xs: xs, ys: ys) }
            let ras = sky.map(\.ra), decs = sky.map(\.dec)
            let backward = try clock.measure { _ = try wcs.skyToPixel(ras: ras, decs: decs) }
            let single = try clock.measure {
                for index in 0..<10_000 { _ = try wcs.pixelToSky(x: xs[index], y: ys[index]) }
            }
            let rate = { (count: Double, duration: Duration) -> Int in
                Int(count / (Double(duration.components.attoseconds) * 1e-18 + Double(duration.components.seconds)))
            }
            print("WCS \(name) conversion rate: pixelToSky \(rate(2e5, forward)) points/s (batch), "
                  + "skyToPixel \(rate(2e5, backward)) points/s (batch), "
                  + "pixelToSky \(rate(1e4, single)) points/s (one call per point)")
            #expect(sky.count == 200_000 && sky.allSatisfy(\.isValid))
        }
    }
}

/// A small seeded generator (SplitMix64) so test positions are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
