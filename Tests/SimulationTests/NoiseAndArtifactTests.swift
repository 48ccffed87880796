import Foundation
import Imaging
import Testing
@testable import Simulation

@Suite struct NoiseAndArtifactTests {
    /// On empty sky the pixel scatter is √(sky·gain + rn²)/gain, with the sky in ADU.
    @Test func skyNoiseMatchesPoissonPlusReadNoise() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 1)
        configuration.injections.transientsPerField = 0
        configuration.injections.movingPerField = 0
        let simulator = try NightSimulator(configuration: configuration)
        for exposure in [simulator.plan.fields[0].science[0], simulator.plan.fields[0].reference] {
            let image = try simulator.render(exposure).image
            let noise = NoiseModel(exposure: exposure, configuration: configuration)
            var sum = 0.0, sumSquares = 0.0
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let skyADU = noise.sky(x: Double(x), y: Double(y)) / noise.gain
                    let expected = (skyADU * noise.gain + noise.readVariance).squareRoot() / noise.gain
                    let z = (Double(image[x, y]) - skyADU) / expected
                    sum += z
                    sumSquares += z * z
                }
            }
            let n = Double(image.count)
            let mean = sum / n, deviation = (sumSquares / n - mean * mean).squareRoot()
            #expect(abs(mean) < 0.02, "\(exposure.path): mean offset \(mean) σ")
            #expect(abs(deviation - 1) < 0.05, "\(exposure.path): scatter \(deviation) of the expected")
        }
    }

    @Test func saturatedPixelsNeverExceedSaturateAndBleedAlongColumns() throws {
        var configuration = Fixtures.night(size: 256, fields: 1, epochs: 1)
        configuration.sources.starMagnitudes = ValueRange(10, 15)
        configuration.sources.starDensity = 1500
        let simulator = try NightSimulator(configuration: configuration)
        for exposure in simulator.exposures {
            let image = try simulator.render(exposure).image
            let level = Float(NoiseModel(exposure: exposure, configuration: configuration).saturation)
            #expect(image.pixels.allSatisfy { $0 <= level }, "\(exposure.path) exceeds SATURATE")
            let saturated = image.pixels.filter { $0 == level }.count
            #expect(saturated > 20, "\(exposure.path): only \(saturated) saturated pixels")
            // The longest saturated run along a column is longer than along a row: bleed trails.
            func longest(_ along: (Int, Int) -> Int, _ lines: Int, _ length: Int) -> Int {
                var best = 0
                for line in 0..<lines {
                    var run = 0
                    for step in 0..<length {
                        run = image.pixels[along(line, step)] == level ? run + 1 : 0
                        best = max(best, run)
                    }
                }
                return best
            }
            let vertical = longest({ x, y in y * image.width + x }, image.width, image.height)
            let horizontal = longest({ y, x in y * image.width + x }, image.height, image.width)
            #expect(vertical > 2 * horizontal, "\(exposure.path): column run \(vertical), row run \(horizontal)")
        }
    }

    /// Single-pixel cosmic rays put nearly all their charge in one pixel;
    /// no PSF in the night puts more than ~30 % of a star's flux there.
    @Test func cosmicRaysAreSharperThanThePSF() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 2)
        configuration.artifacts.cosmicRayRate = 3000
        let simulator = try NightSimulator(configuration: configuration)
        let exposure = simulator.plan.fields[0].science[0]
        let rendered = try simulator.render(exposure)
        let noise = NoiseModel(exposure: exposure, configuration: configuration)
        let sigma = noise.backgroundSigma / noise.gain
        let rays = rendered.truth.filter { $0.kind == .cosmicRay }
        #expect(rays.count > 20)
        var singles = 0, tracks = 0
        for ray in rays {
            let p = fitsToArray(PixelPoint(x: ray.x, y: ray.y))
            let (cx, cy) = (Int(p.x.rounded()), Int(p.y.rounded()))
            guard cx > 3, cy > 3, cx < 252, cy < 252 else { continue }
            let background = noise.sky(x: p.x, y: p.y) / noise.gain
            let crowded = rays.contains { $0.objectID != ray.objectID && hypot($0.x - ray.x, $0.y - ray.y) < 10 }
                || rendered.truth.contains { !$0.kind.isArtifact && hypot($0.x - ray.x, $0.y - ray.y) < 10 }
            guard !crowded else { continue }
            if ray.x1 == nil, ray.flux > 30 * sigma {
                var box = 0.0
                for y in (cy - 1)...(cy + 1) { for x in (cx - 1)...(cx + 1) { box += Double(rendered.image[x, y]) - background } }
                let peak = Double(rendered.image[cx, cy]) - background
                #expect(peak / box > 0.6, "\(ray.objectID): peak holds \(peak / box) of the 3x3 excess")
                singles += 1
            } else if ray.x1 != nil {
                #expect(Double(rendered.image[cx, cy]) - background > 5 * sigma, "\(ray.objectID) midpoint is not raised")
                tracks += 1
            }
        }
        #expect(singles >= 3 && tracks >= 3)
        let star = MoffatProfile(fwhm: configuration.conditions.fwhm.lower, beta: configuration.conditions.beta.upper)
        #expect(star.peakFraction() < 0.35)
    }

    /// Hot pixels sit on the same detector pixels in every exposure of the
    /// night, so on different sky in different fields.
    @Test func hotPixelsStayOnTheDetector() throws {
        var configuration = Fixtures.night(size: 256, fields: 2, epochs: 2)
        configuration.artifacts.hotPixelDensity = 2000
        let simulator = try NightSimulator(configuration: configuration)
        var positions: [String: (x: Double, y: Double)] = [:]
        var skies: [String: Set<String>] = [:]
        var images = 0
        for field in simulator.plan.fields {
            for exposure in field.science {
                let rendered = try simulator.render(exposure)
                let hot = rendered.truth.filter { $0.kind == .hotPixel }
                #expect(hot.count == simulator.plan.detector.hotPixels.count)
                for row in hot {
                    if let known = positions[row.objectID] {
                        #expect(known.x == row.x && known.y == row.y, "\(row.objectID) moved on the detector")
                    }
                    positions[row.objectID] = (row.x, row.y)
                    skies[row.objectID, default: []].insert(String(format: "%.4f,%.4f", row.ra, row.dec))
                    let p = fitsToArray(PixelPoint(x: row.x, y: row.y))
                    let (x, y) = (Int(p.x), Int(p.y))
                    guard x > 2, y > 2, x < 253, y < 253 else { continue }
                    let neighbours = [rendered.image[x - 2, y], rendered.image[x + 2, y], rendered.image[x, y - 2],
                                      rendered.image[x, y + 2]].map(Double.init).sorted()
                    let excess = Double(rendered.image[x, y]) - (neighbours[1] + neighbours[2]) / 2
                    #expect(excess > 0.5 * row.flux || row.flux < 100, "\(row.objectID) is not hot in \(exposure.path)")
                }
                images += 1
            }
        }
        #expect(images == 4)
        #expect(skies.values.allSatisfy { $0.count == 4 }, "a hot pixel should land on different sky in each image")
    }

    @Test func satelliteTrailsCrossTheWholeImage() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 2)
        configuration.artifacts.trailProbability = 1
        let simulator = try NightSimulator(configuration: configuration)
        for exposure in simulator.plan.fields[0].science {
            let rendered = try simulator.render(exposure)
            let trail = try #require(rendered.truth.first { $0.kind == .satelliteTrail })
            let ends = [try #require(trail.x1), try #require(trail.y1), try #require(trail.x2), try #require(trail.y2)]
            let onEdge = { (x: Double, y: Double) in
                abs(x - 0.5) < 1e-6 || abs(y - 0.5) < 1e-6 || abs(x - 256.5) < 1e-6 || abs(y - 256.5) < 1e-6
            }
            #expect(onEdge(ends[0], ends[1]) && onEdge(ends[2], ends[3]))
            #expect(hypot(ends[2] - ends[0], ends[3] - ends[1]) > 100)
            // Along the midline the trail stands out of the noise.
            let noise = NoiseModel(exposure: exposure, configuration: configuration)
            let plan = try #require(exposure.trail)
            let peak = trail.flux * noise.gain / ((2 * Double.pi).squareRoot() * plan.sigma) / noise.gain
            var excess = 0.0, samples = 0
            for t in stride(from: 0.1, through: 0.9, by: 0.05) {
                let p = fitsToArray(PixelPoint(x: ends[0] + t * (ends[2] - ends[0]), y: ends[1] + t * (ends[3] - ends[1])))
                let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
                excess += Double(rendered.image[x, y]) - noise.sky(x: Double(x), y: Double(y)) / noise.gain
                samples += 1
            }
            #expect(excess / Double(samples) > 0.5 * peak, "mean excess \(excess / Double(samples)) vs peak \(peak)")
        }
    }
}
