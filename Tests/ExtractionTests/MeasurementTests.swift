import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// The small measurement pieces, against exact answers.
@Suite struct MeasurementTests {
    @Test func quadraticPeakFindsTheVertex() {
        var image = Image<Float>(width: 9, height: 9, repeating: 0)
        for y in 0..<9 {
            for x in 0..<9 {
                let u = Double(x) - 4.3, v = Double(y) - 3.8
                image[x, y] = Float(50 - 2 * u * u - 3 * v * v + 0.8 * u * v)
            }
        }
        let p = Position.quadraticPeak(image, x: 4, y: 4, sign: 1)
        #expect(abs(p.x - 4.3) < 1e-4 && abs(p.y - 3.8) < 1e-4)
        // A minimum is no peak: the pixel itself comes back.
        let q = Position.quadraticPeak(image, x: 4, y: 4, sign: -1)
        #expect(q == PixelPoint(x: 4, y: 4))
        #expect(Position.quadraticPeak(image, x: 0, y: 4, sign: 1) == PixelPoint(x: 0, y: 4))
    }

    @Test func apertureWeightsAddUpToTheCircle() {
        for radius in [1.3, 2.5, 4.0] {
            for offset in [0.0, 0.27, 0.5] {
                var area = 0.0
                for y in -6...6 {
                    for x in -6...6 {
                        area += Photometry.overlap(dx: Double(x) - offset, dy: Double(y) - offset / 2, radius: radius)
                    }
                }
                #expect(abs(area - .pi * radius * radius) < 0.02 * radius * radius, "r \(radius) offset \(offset)")
            }
        }
    }

    @Test func edgeDistanceMatchesBruteForce() {
        var mask = Image<MaskBits>.good(width: 150, height: 110)
        for y in 0..<110 { for x in 0..<150 where x + 2 * y > 260 { mask[x, y] = .noData } }
        mask[40, 30] = .noData
        let edges = EdgeDistance(mask: mask)
        for point in [PixelPoint(x: 45.2, y: 33.7), PixelPoint(x: 75, y: 55), PixelPoint(x: 3.4, y: 90),
                      PixelPoint(x: 120.5, y: 20.25), PixelPoint(x: 10, y: 10)] {
            var best = min(point.x + 1, point.y + 1, 150 - point.x, 110 - point.y)
            for y in 0..<110 {
                for x in 0..<150 where mask[x, y] == .noData {
                    best = min(best, hypot(Double(x) - point.x, Double(y) - point.y))
                }
            }
            #expect(abs(edges.distance(from: point) - best) < 1e-12, "at \(point)")
        }
    }

    @Test func boxFeaturesCountWhatTheyShould() {
        var d = Image<Float>(width: 20, height: 20, repeating: 1)
        d[10, 10] = -3
        d[11, 9] = -1
        var mask = Image<MaskBits>.good(width: 20, height: 20)
        mask[12, 12] = .interpolated
        mask[0, 0] = .bad // outside the box
        let cutout = Cutout(difference: d, mask: mask, x: 10, y: 10, halfSize: 6, sign: 1)
        let box = Features.box(cutout: cutout, at: PixelPoint(x: 10.2, y: 9.8))
        #expect(box == Features.Box(nneg: 2, nbad: 1, sumrat: 19.0 / 27.0))
        let negative = Features.box(cutout: Cutout(difference: d, mask: mask, x: 10, y: 10, halfSize: 6, sign: -1),
                                    at: PixelPoint(x: 10, y: 10))
        #expect(negative.nneg == 23 && abs(negative.sumrat + 19.0 / 27.0) < 1e-12)
        // Off the image, pixels count as bad and nowhere else.
        let corner = Features.box(cutout: Cutout(difference: d, mask: .good(width: 20, height: 20), x: 0, y: 0,
                                                 halfSize: 6, sign: 1), at: PixelPoint(x: 0, y: 0))
        #expect(corner == Features.Box(nneg: 0, nbad: 16, sumrat: 1))
    }

    @Test func dipoleIsSymmetricAndBounded() {
        var d = Image<Float>(width: 30, height: 30, repeating: 0)
        d[14, 15] = 10
        d[16, 15] = -10
        let mask = Image<MaskBits>.good(width: 30, height: 30)
        let pair = Features.dipole(cutout: Cutout(difference: d, mask: mask, x: 15, y: 15, halfSize: 8, sign: 1),
                                   at: PixelPoint(x: 15, y: 15), radius: 4)
        #expect(pair == 1)
        d[16, 15] = -2
        let lopsided = Features.dipole(cutout: Cutout(difference: d, mask: mask, x: 15, y: 15, halfSize: 8, sign: -1),
                                       at: PixelPoint(x: 15, y: 15), radius: 4)
        #expect(abs(lopsided - 0.2) < 1e-12)
    }
}
