import Foundation
import Imaging
import Testing
import WCS
@testable import Simulation

/// Fluxes and positions in the pixels agree with the catalogue and the truth table.
@Suite struct PhotometryTests {
    /// The Moffat's flux within `radius` pixels: 1 - (1 + r²/α²)^(1-β).
    static func enclosed(_ e: ExposurePlan, radius: Double) -> Double {
        let profile = MoffatProfile(fwhm: e.fwhm, beta: e.beta)
        return 1 - pow(1 + radius * radius / (profile.alpha * profile.alpha), 1 - e.beta)
    }

    /// The 1σ error of an aperture flux: background over the aperture and
    /// its estimate from the annulus, plus the source's Poisson noise.
    static func sigma(_ aperture: Aperture, flux: Double, noise: NoiseModel, x: Double, y: Double) -> Double {
        let variance = noise.backgroundVariance(x: x, y: y)
        let n = Double(aperture.pixels)
        return (n * variance * (1 + 0.1) + max(flux, 0) / noise.gain).squareRoot()
    }

    @Test func isolatedStarFluxMatchesTheCatalogueInTheReference() throws {
        let simulator = try NightSimulator(configuration: Fixtures.night(size: 320, fields: 1, epochs: 1, seed: 5))
        let c = simulator.configuration
        let field = simulator.plan.fields[0]
        let reference = try simulator.render(field.reference)
        let transform = try WCSTransform(field.reference.wcs)
        let stars = try transform.skyToArrayPixel(ras: field.stars.map(\.ra), decs: field.stars.map(\.dec))
        let galaxies = try transform.skyToArrayPixel(ras: field.galaxies.map(\.ra), decs: field.galaxies.map(\.dec))
        let noise = NoiseModel(exposure: field.reference, configuration: c)
        let radius = 10.0
        var checked = 0
        let order = field.stars.indices.sorted { field.stars[$0].rate > field.stars[$1].rate }
        for k in order where !field.stars[k].saturatedInReference {
            let (x, y) = (stars.xs[k], stars.ys[k])
            guard x > 25, y > 25, x < Double(c.width) - 26, y < Double(c.height) - 26 else { continue }
            let crowded = field.stars.indices.contains { j in
                j != k && hypot(stars.xs[j] - x, stars.ys[j] - y) < 22 && field.stars[j].rate > 0.002 * field.stars[k].rate
            } || field.galaxies.indices.contains { hypot(galaxies.xs[$0] - x, galaxies.ys[$0] - y) < 30 }
            guard !crowded else { continue }
            let expected = noise.adu(rate: field.stars[k].rate)
            let aperture = Aperture(reference.image, x: x, y: y, radius: radius, annulus: (14, 20))
            let predicted = expected * Self.enclosed(field.reference, radius: radius)
            let tolerance = 5 * Self.sigma(aperture, flux: expected, noise: noise, x: x, y: y) + 0.003 * expected
            #expect(abs(aperture.flux - predicted) < tolerance,
                    "\(field.stars[k].id): measured \(aperture.flux), catalogue \(predicted) ± \(tolerance)")
            checked += 1
            if checked == 4 { break }
        }
        #expect(checked >= 2)
    }

    @Test func transientFluxInTheImageMatchesTheTruth() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 2)
        configuration.injections.transientsPerField = 12
        configuration.injections.movingPerField = 0
        let simulator = try NightSimulator(configuration: configuration)
        let field = simulator.plan.fields[0]
        var checked = 0
        for exposure in field.science {
            let rendered = try simulator.render(exposure)
            let noise = NoiseModel(exposure: exposure, configuration: configuration)
            for row in rendered.truth where row.kind == .transient && (row.expectedSNR ?? 0) > 15 {
                let p = fitsToArray(PixelPoint(x: row.x, y: row.y))
                guard p.x > 22, p.y > 22, p.x < 233, p.y < 233 else { continue }
                let isolated = !rendered.truth.contains { $0.objectID != row.objectID && hypot($0.x - row.x, $0.y - row.y) < 22 }
                guard isolated else { continue }
                let radius = 8.0
                let aperture = Aperture(rendered.image, x: p.x, y: p.y, radius: radius, annulus: (12, 18))
                let predicted = row.flux * Self.enclosed(exposure, radius: radius)
                let tolerance = 5 * Self.sigma(aperture, flux: row.flux, noise: noise, x: p.x, y: p.y) + 0.005 * row.flux
                #expect(abs(aperture.flux - predicted) < tolerance, "\(row.objectID): \(aperture.flux) vs \(predicted)")
                // The change against the reference is the same flux in reference units.
                let scale = NoiseModel(exposure: field.reference, configuration: configuration).throughput / noise.throughput
                #expect(abs(row.deltaFluxRef - row.flux * scale) < 1e-6 * row.deltaFluxRef)
                checked += 1
            }
        }
        #expect(checked >= 3)
    }

    @Test func variableStarsChangeBetweenEpochsAsTheTruthSays() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 3)
        configuration.sources.starDensity = 2000
        configuration.injections.variableFraction = 1
        configuration.injections.transientsPerField = 0
        configuration.injections.movingPerField = 0
        let simulator = try NightSimulator(configuration: configuration)
        let field = simulator.plan.fields[0]
        let images = try field.science.map { try simulator.render($0) }
        let variables = Set(images.flatMap { $0.truth.filter { $0.kind == .variable }.map(\.objectID) })
        #expect(variables.count >= 5)
        var measured = 0
        for id in variables.sorted() {
            let rows = images.compactMap { image in image.truth.first { $0.objectID == id } }
            guard rows.count == 3 else { continue }
            #expect(Set(rows.map(\.flux)).count == 3, "\(id) has the same flux in two epochs")
            // Measure the brightest isolated ones.
            guard rows[0].flux > 2000 else { continue }
            let crowded = images[0].truth.contains { $0.objectID != id && hypot($0.x - rows[0].x, $0.y - rows[0].y) < 22 }
            guard !crowded else { continue }
            for (k, row) in rows.enumerated() {
                let p = fitsToArray(PixelPoint(x: row.x, y: row.y))
                guard p.x > 22, p.y > 22, p.x < 233, p.y < 233 else { continue }
                let noise = NoiseModel(exposure: field.science[k], configuration: configuration)
                let aperture = Aperture(images[k].image, x: p.x, y: p.y, radius: 8, annulus: (12, 18))
                let predicted = row.flux * Self.enclosed(field.science[k], radius: 8)
                let tolerance = 5 * Self.sigma(aperture, flux: row.flux, noise: noise, x: p.x, y: p.y) + 0.005 * row.flux
                #expect(abs(aperture.flux - predicted) < tolerance, "\(id) epoch \(k): \(aperture.flux) vs \(predicted)")
                measured += 1
            }
        }
        #expect(measured >= 3)
    }

    @Test func movingObjectsMoveAtTheirRate() throws {
        var configuration = Fixtures.clean(size: 320, epochs: 3, seed: 3)
        configuration.injections.transientsPerField = 0
        configuration.injections.movingPerField = 6
        configuration.injections.movingRate = ValueRange(10, 20)
        configuration.injections.movingSNR = ValueRange(60, 100)
        let simulator = try NightSimulator(configuration: configuration)
        let field = simulator.plan.fields[0]
        let images = try field.science.map { try simulator.render($0) }
        var pairs = 0
        for object in field.movingObjects {
            let rows = images.compactMap { image in image.truth.first { $0.objectID == object.id } }
            for (a, b) in zip(rows, rows.dropFirst()) {
                let hours = (b.mjd - a.mjd) * 24
                let arcsec = SkyPosition(ra: a.ra, dec: a.dec).separation(to: SkyPosition(ra: b.ra, dec: b.dec)) * 3600
                #expect(abs(arcsec / hours - object.rateArcsecPerHour) < 1e-3 * object.rateArcsecPerHour)
                // Pixels are about an arcsecond, and the reference grid is undistorted here.
                let pixels = hypot(b.xRef - a.xRef, b.yRef - a.yRef)
                #expect(abs(pixels - arcsec / configuration.camera.pixelScale) < 0.01 * pixels + 0.01)
                #expect(pixels > 10, "positions differ per epoch by several pixels")
                pairs += 1
            }
            // The light is where the truth says, to a small fraction of a pixel.
            for (k, image) in images.enumerated() {
                guard let row = image.truth.first(where: { $0.objectID == object.id }) else { continue }
                let p = fitsToArray(PixelPoint(x: row.x, y: row.y))
                guard p.x > 12, p.y > 12, p.x < 307, p.y < 307 else { continue }
                // A small window keeps the centroid's noise (which grows with its area) at ~0.03 px.
                let centroid = Self.centroid(image.image, x: p.x, y: p.y, radius: 1.5 * field.science[k].fwhm)
                #expect(hypot(centroid.x - p.x, centroid.y - p.y) < 0.15, "\(object.id) epoch \(k)")
            }
        }
        #expect(pairs >= 2)
    }

    /// `expected_snr` is the S/N a PSF fit reaches: the fitted changes scatter
    /// around the truth by |Δ| / expected_snr.
    @Test func expectedSNRPredictsThePSFFitScatter() throws {
        var configuration = Fixtures.clean(size: 256, epochs: 3, seed: 17)
        configuration.injections.transientsPerField = 40
        configuration.injections.movingPerField = 0
        let simulator = try NightSimulator(configuration: configuration)
        let field = simulator.plan.fields[0]
        let reference = try simulator.render(field.reference)
        let referenceNoise = NoiseModel(exposure: field.reference, configuration: configuration)
        var z = [Double]()
        for exposure in field.science {
            let rendered = try simulator.render(exposure)
            let noise = NoiseModel(exposure: exposure, configuration: configuration)
            for row in rendered.truth where row.kind == .transient {
                let p = fitsToArray(PixelPoint(x: row.x, y: row.y)), q = fitsToArray(PixelPoint(x: row.xRef, y: row.yRef))
                guard p.x > 15, p.y > 15, p.x < 240, p.y < 240, q.x > 15, q.y > 15, q.x < 240, q.y < 240,
                      let snr = row.expectedSNR, snr > 1 else { continue }
                // A neighbour inside the fit window would bias the fit.
                let crowded = rendered.truth.contains { $0.objectID != row.objectID && hypot($0.x - row.x, $0.y - row.y) < 14 }
                guard !crowded else { continue }
                let science = Self.psfFlux(rendered.image, exposure, noise, at: p)
                let onReference = Self.psfFlux(reference.image, field.reference, referenceNoise, at: q)
                let delta = science * referenceNoise.throughput / noise.throughput - onReference
                z.append((delta - row.deltaFluxRef) / (row.deltaFluxRef / snr))
            }
        }
        #expect(z.count >= 40)
        let mean = z.reduce(0, +) / Double(z.count)
        let deviation = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count - 1)).squareRoot()
        #expect(abs(mean) < 0.4, "mean offset \(mean)")
        #expect(deviation > 0.75 && deviation < 1.3, "scatter \(deviation) of the predicted")
    }

    /// The PSF-weighted flux Σ P (I - sky) / Σ P² with the exposure's own PSF at `p` (array coordinates).
    static func psfFlux(_ image: Image<Float>, _ e: ExposurePlan, _ noise: NoiseModel, at p: PixelPoint) -> Double {
        let radius = 10, (cx, cy) = (Int(p.x.rounded()), Int(p.y.rounded()))
        let stamp = MoffatProfile(fwhm: e.fwhm, beta: e.beta)
            .stamp(phaseX: p.x - Double(cx), phaseY: p.y - Double(cy), radius: radius)
        var weighted = 0.0, squares = 0.0
        for j in -radius...radius {
            for i in -radius...radius {
                let weight = stamp[(j + radius) * (2 * radius + 1) + i + radius]
                let (x, y) = (cx + i, cy + j)
                let value = Double(image[x, y]) - noise.sky(x: Double(x), y: Double(y)) / noise.gain
                weighted += weight * value
                squares += weight * weight
            }
        }
        return weighted / squares
    }

    /// Background-subtracted first moments in a circle.
    static func centroid(_ image: Image<Float>, x: Double, y: Double, radius: Double) -> (x: Double, y: Double) {
        let sky = Aperture(image, x: x, y: y, radius: 0, annulus: (radius + 4, radius + 10)).background
        var (sx, sy, s) = (0.0, 0.0, 0.0)
        let r = Int(radius.rounded(.up))
        for yy in (Int(y) - r)...(Int(y) + r + 1) {
            for xx in (Int(x) - r)...(Int(x) + r + 1) where hypot(Double(xx) - x, Double(yy) - y) <= radius {
                let v = Double(image[xx, yy]) - sky
                (sx, sy, s) = (sx + v * Double(xx), sy + v * Double(yy), s + v)
            }
        }
        return (sx / s, sy / s)
    }
}
