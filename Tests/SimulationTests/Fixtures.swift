import Foundation
import Imaging
@testable import Simulation

/// Small nights for tests: 256–320 px images, few epochs.
enum Fixtures {
    /// A realistic night at test size: every source and artifact kind.
    static func night(size: Int = 256, fields: Int = 3, epochs: Int = 2, seed: UInt64 = 7) -> NightConfiguration {
        var c = NightConfiguration()
        c.seed = seed
        c.fields = fields
        c.epochs = epochs
        c.width = size
        c.height = size
        return c
    }

    /// A night with nothing but sky, noise and the injected objects asked
    /// for, so fluxes and positions can be measured without neighbours.
    static func clean(size: Int = 256, epochs: Int = 3, seed: UInt64 = 11) -> NightConfiguration {
        var c = night(size: size, fields: 1, epochs: epochs, seed: seed)
        c.sources.starDensity = 0
        c.sources.galaxyDensity = 0
        c.artifacts.cosmicRayRate = 0
        c.artifacts.hotPixelDensity = 0
        c.artifacts.badColumn = false
        c.artifacts.trailProbability = 0
        return c
    }

    /// A scratch folder, removed by the caller.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Aperture photometry for the tests: the sum of pixels whose centres lie
/// within `radius` of (`x`, `y`) (0-based array coordinates), minus the
/// median of an annulus times the number of pixels summed.
struct Aperture {
    let flux: Double
    let pixels: Int
    let background: Double

    init(_ image: Image<Float>, x: Double, y: Double, radius: Double, annulus: (Double, Double)) {
        var sum = 0.0, count = 0
        var ring = [Double]()
        let reach = Int(annulus.1.rounded(.up)) + 1
        for yy in (Int(y) - reach)...(Int(y) + reach) {
            for xx in (Int(x) - reach)...(Int(x) + reach) where image.contains(x: xx, y: yy) {
                let d = ((Double(xx) - x) * (Double(xx) - x) + (Double(yy) - y) * (Double(yy) - y)).squareRoot()
                let value = Double(image[xx, yy])
                if d <= radius {
                    sum += value
                    count += 1
                } else if d >= annulus.0 && d <= annulus.1 {
                    ring.append(value)
                }
            }
        }
        ring.sort()
        background = ring.isEmpty ? 0 : ring[ring.count / 2]
        flux = sum - background * Double(count)
        pixels = count
    }
}

extension Array where Element == TruthRow {
    func rows(in image: String) -> [TruthRow] { filter { $0.image == image } }
}
