import Foundation
import Imaging
import Testing
import TestSupport
@testable import Preprocessing

/// A raw frame with known defects: sky 1000 ADU plus a gradient, 150 Moffat
/// stars (a few saturated at 30 000 ADU), cosmic-ray hits and tracks, a hot
/// pixel, a bad column and a satellite trail.
struct DefectFrame {
    var raw: Image<Float>
    /// The frame before cosmic rays were added (sky and stars only).
    var clean = Image<Float>(width: 0, height: 0, pixels: [])
    var stars: [(x: Double, y: Double, flux: Double)]
    var cosmicPixels: [Int]
    var badColumn = 201
    var trail: (PixelPoint, PixelPoint) = (PixelPoint(x: 0, y: 40), PixelPoint(x: 383, y: 300))

    static let saturate = 30_000.0

    static func make(fwhm: Double = 2.4, seed: UInt64 = 1) -> DefectFrame {
        let size = 384
        var truth = StarField.make(width: size, height: size, count: 150, fwhm: fwhm, noise: 12, seed: seed).truth
        // Three stars bright enough to saturate.
        truth += [(x: 90.3, y: 300.6, flux: 2e6), (x: 300.2, y: 120.7, flux: 5e6), (x: 330.8, y: 330.1, flux: 1e6)]
        let field = StarField.render(truth, width: size, height: size, fwhm: fwhm, noise: 12, seed: seed &+ 5)
        var random = SeededRandom(seed: seed &+ 1000)
        var frame = DefectFrame(raw: field.image, stars: field.truth, cosmicPixels: [])
        for y in 0..<size { for x in 0..<size { frame.raw[x, y] += Float(1000 + 0.3 * Double(x) + 0.1 * Double(y)) } }
        // Bad column: +25 σ over its whole length.
        for y in 0..<size { frame.raw[frame.badColumn, y] += 300 }
        // A trail with a Gaussian cross-section of σ 1.2 px, 6 σ per pixel.
        let (a, b) = frame.trail
        let length = hypot(b.x - a.x, b.y - a.y), dx = (b.x - a.x) / length, dy = (b.y - a.y) / length
        for y in 0..<size {
            for x in 0..<size {
                let distance = abs((Double(x) - a.x) * dy - (Double(y) - a.y) * dx)
                frame.raw[x, y] += Float(72 * exp(-0.5 * distance * distance / 1.44))
            }
        }
        frame.clean = frame.raw
        // Cosmic rays: 40 single hits and 15 tracks of 3–8 px, and a hot pixel.
        for k in 0..<55 {
            var x = Int(random.uniform(5, Double(size - 5))), y = Int(random.uniform(5, Double(size - 5)))
            let steps = k < 40 ? 1 : Int(random.uniform(3, 9))
            let (sx, sy) = [(1, 0), (0, 1), (1, 1), (1, -1)][Int(random.uniform(0, 4))]
            for _ in 0..<steps {
                guard x > 2, y > 2, x < size - 3, y < size - 3, x != frame.badColumn else { break }
                frame.raw[x, y] += Float(random.uniform(800, 5_000))
                frame.cosmicPixels.append(y * size + x)
                x += sx
                y += sy
            }
        }
        frame.raw[77, 311] += 4_000
        frame.cosmicPixels.append(311 * size + 77)
        for i in 0..<frame.raw.count { frame.raw.pixels[i] = min(frame.raw.pixels[i], Float(saturate)) }
        return frame
    }
}

@Suite struct PreprocessorTests {
    @Test func masksEachDefectAndKeepsTheStars() throws {
        let frame = DefectFrame.make()
        let result = try Preprocessor.run(frame.raw, saturate: DefectFrame.saturate, gain: nil)
        let mask = result.masked.mask
        // Every cosmic-ray pixel is found (bright ones on top of a saturated
        // star are saturated instead).
        let missed = frame.cosmicPixels.filter { mask.pixels[$0].isDisjoint(with: [.cosmicRay, .saturated, .bad, .trail]) }
        #expect(missed.isEmpty, "missed cosmic-ray pixels: \(missed.map { ($0 % 384, $0 / 384) })")
        // No star centre is taken for a cosmic ray.
        let starsHit = frame.stars.filter { star in
            let i = Int(star.y.rounded()) * 384 + Int(star.x.rounded())
            return mask.pixels[i].contains(.cosmicRay) && !frame.cosmicPixels.contains { abs($0 - i) <= 1 || abs($0 - i - 384) <= 1 || abs($0 - i + 384) <= 1 }
        }
        #expect(starsHit.count <= 1, "\(starsHit.count) stars flagged as cosmic rays")
        // The bad column is found along its length and nowhere else.
        let badColumns = Set((0..<mask.count).filter { mask.pixels[$0].contains(.bad) }.map { $0 % 384 })
        #expect(badColumns == [frame.badColumn])
        #expect((0..<384).filter { mask[frame.badColumn, $0].contains(.bad) }.count > 300)
        // The trail is masked along its whole line.
        #expect(result.trails.count == 1)
        let along = stride(from: 5.0, to: 379, by: 10).filter { t in
            let p = PixelPoint(x: t, y: 40 + (300 - 40) * t / 383)
            return mask[Int(p.x.rounded()), Int(p.y.rounded())].contains(.trail)
        }
        #expect(along.count >= 35)
        #expect(Double(mask.count(of: .trail)) < 0.15 * Double(mask.count))
        // Saturated stars are masked; the repaired image has no cosmic rays left.
        #expect(mask.count(of: .saturated) > 0)
        // Repairs restore what the sky and stars there hold: to the noise on
        // sky, and roughly on a star's core (a track across a core leaves no
        // clean neighbours; those pixels are excluded from detection anyway).
        let level = result.background.levelImage()
        var errors: [Float] = []
        for i in frame.cosmicPixels where mask.pixels[i].contains(.interpolated) && !mask.pixels[i].contains(.saturated) {
            let clean = frame.clean.pixels[i] - level.pixels[i]
            errors.append(abs(result.masked.image.pixels[i] - clean) / (12 + 0.3 * abs(clean)))
        }
        errors.sort()
        #expect(errors[errors.count / 2] < 2, "median repair error \(errors[errors.count / 2])")
        #expect(errors[errors.count * 9 / 10] < 4, "90th percentile repair error \(errors[errors.count * 9 / 10])")
    }

    @Test(arguments: [1.6, 3.2])
    func psfAndBackgroundAreMeasured(fwhm: Double) throws {
        let frame = DefectFrame.make(fwhm: fwhm, seed: 5)
        let result = try Preprocessor.run(frame.raw, saturate: DefectFrame.saturate, gain: nil)
        #expect(result.psfIsEmpirical)
        let truth = PSFModel.moffat(fwhm: fwhm).fwhm
        #expect(abs(result.seeing - truth) < 0.1 * truth, "seeing \(result.seeing) vs \(truth)")
        #expect(abs(result.backgroundRMS - 12) < 1.2)
        #expect(Double(result.background.globalLevel) > 1000 && Double(result.background.globalLevel) < 1200)
        #expect(result.stars.count > 80)
    }

    @Test func allNaNIsRefused() {
        let raw = Image<Float>(width: 64, height: 64, repeating: .nan)
        #expect(throws: PreprocessError.self) { try Preprocessor.run(raw, saturate: nil, gain: nil) }
    }
}
