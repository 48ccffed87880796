import Foundation
import Testing
@testable import Imaging
import WCS
@testable import Extraction

/// Neighbours in the reference catalogue, sky positions, stamps and order.
@Suite struct CatalogueTests {
    /// A bright reference star with a transient 4 px from it, and a faint
    /// star with a transient 6 px from it.
    static let brightStar: Source = (x: 80, y: 80, flux: 100_000)
    static let nearBright: Source = (x: 84, y: 80, flux: 12_000)
    static let faintStar: Source = (x: 170, y: 170, flux: 3_000)
    static let nearFaint: Source = (x: 170, y: 176, flux: 12_000)
    static let byTheEdge: Source = (x: 22, y: 200, flux: 12_000)

    static let scene = try! Scene(starCount: 0, seed: 31, referenceOnly: [brightStar, faintStar],
                                  newOnly: [brightStar, faintStar, nearBright, nearFaint, byTheEdge])
    static let wcs = try! WCSTransform(TangentPlaneWCS(crpix1: 128.5, crpix2: 128.5,
                                                       crval: SkyPosition(ra: 359.99, dec: 31.5),
                                                       pixelScale: 1.1, rotation: 17))
    static let zeroPoint = 25.0

    @Test func nearestReferenceSourceAndBrightStarFlag() throws {
        let output = Self.scene.extract(wcs: Self.wcs, zeroPoint: Self.zeroPoint)
        let bright = try #require(nearest(output.candidates, to: Self.nearBright.x, Self.nearBright.y)).candidate
        #expect(abs(bright.features.distnr - 4) < 0.3)
        #expect(abs(bright.features.magnr - (25 - 2.5 * log10(Self.brightStar.flux))) < 1e-9)
        #expect(bright.flags.contains(.nearBrightStar))
        let faint = try #require(nearest(output.candidates, to: Self.nearFaint.x, Self.nearFaint.y)).candidate
        #expect(abs(faint.features.distnr - 6) < 0.3)
        #expect(abs(faint.features.magnr - (25 - 2.5 * log10(Self.faintStar.flux))) < 1e-9)
        #expect(!faint.flags.contains(.nearBrightStar))
        let lonely = try #require(nearest(output.candidates, to: Self.byTheEdge.x, Self.byTheEdge.y)).candidate
        #expect(lonely.features.distnr.isNaN && lonely.features.magnr.isNaN)
        // Without a zero point the bright-star limit (a magnitude) cannot apply.
        let noZero = Self.scene.extract()
        #expect(noZero.candidates.allSatisfy { !$0.flags.contains(.nearBrightStar) && $0.features.magnr.isNaN })
        var byFlux = ExtractionParameters()
        byFlux.brightStarFlux = 50_000
        let flagged = Self.scene.extract(parameters: byFlux).candidates.filter { $0.flags.contains(.nearBrightStar) }
        #expect(flagged.count == 1 && abs(flagged[0].position.x - Self.nearBright.x) < 0.5)
    }

    @Test func skyPositionsComeFromTheReferenceWCS() throws {
        let output = Self.scene.extract(wcs: Self.wcs)
        #expect(output.skyConversionError == nil && !output.candidates.isEmpty)
        for candidate in output.candidates {
            let sky = try Self.wcs.pixelToSky(arrayX: candidate.position.x, arrayY: candidate.position.y)
            let fits = try Self.wcs.pixelToSky(x: candidate.fitsX, y: candidate.fitsY)
            #expect(candidate.ra == sky.ra && candidate.dec == sky.dec)
            #expect(candidate.ra == fits.ra && candidate.dec == fits.dec)
            #expect(candidate.ra >= 0 && candidate.ra < 360)
        }
        #expect(Self.scene.extract().candidates.allSatisfy { $0.ra.isNaN && $0.dec.isNaN })
    }

    @Test func stampsAreCentredOnTheRoundedPosition() throws {
        let output = Self.scene.extract()
        let result = Self.scene.result
        for candidate in output.candidates {
            let s = candidate.stamps
            #expect([s.science, s.reference, s.difference].allSatisfy { $0.width == 63 && $0.height == 63 })
            let x = Int(candidate.position.x.rounded()), y = Int(candidate.position.y.rounded())
            #expect(s.originX == x - 31 && s.originY == y - 31)
            #expect(s.difference[31, 31] == result.difference[x, y])
            #expect(s.science[31, 31] == Self.scene.input.new.image[x, y])
            #expect(s.reference[31, 31] == Self.scene.input.reference.image[x, y])
        }
        let edge = try #require(nearest(output.candidates, to: Self.byTheEdge.x, Self.byTheEdge.y)).candidate
        #expect(edge.flags.contains(.edge))
        #expect(edge.stamps.difference[0, 31].isNaN && !edge.stamps.difference[62, 31].isNaN)
        let inside = try #require(nearest(output.candidates, to: Self.nearFaint.x, Self.nearFaint.y)).candidate
        #expect(!inside.flags.contains(.edge) && inside.stamps.difference.pixels.allSatisfy(\.isFinite))
    }

    @Test func orderIsDeterministic() {
        let first = Self.scene.extract(), second = Self.scene.extract()
        #expect(first.candidates.map(\.index) == Array(0..<first.candidates.count))
        #expect(first.candidates.map(\.position) == second.candidates.map(\.position))
        let significance = first.candidates.map { abs($0.scorr) }
        #expect(significance == significance.sorted(by: >))
        let peaks = [Peak(x: 5, y: 9, significance: 7, isPositive: true, isBlended: false),
                     Peak(x: 2, y: 9, significance: 7, isPositive: false, isBlended: false),
                     Peak(x: 8, y: 1, significance: 7, isPositive: true, isBlended: false),
                     Peak(x: 1, y: 1, significance: 9, isPositive: true, isBlended: false)]
        let ordered = CandidateExtractor.stableOrder(peaks).map { [$0.x, $0.y] }
        #expect(ordered == [[1, 1], [8, 1], [2, 9], [5, 9]])
        #expect(CandidateExtractor.stableOrder(peaks.reversed()).map { [$0.x, $0.y] } == ordered)
    }
}
