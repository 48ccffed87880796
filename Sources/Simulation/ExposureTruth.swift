import Foundation
import Imaging
import WCS

/// Builds the truth rows of one image: every injected object on it and
/// every artifact drawn into it, with positions through the image's own WCS
/// and the field's deep-reference WCS.
struct ExposureTruth {
    let exposure: ExposurePlan
    let field: FieldPlan
    let scene: ExposureScene
    let rendered: ExposureRenderer.Result
    let transform: WCSTransform
    let referenceTransform: WCSTransform
    let noise: NoiseModel
    let referenceNoise: NoiseModel
    let configuration: NightConfiguration
    let detector: Detector

    /// Science ADU × scale = reference ADU.
    private var scale: Double { referenceNoise.throughput / noise.throughput }

    func rows() throws(SimulationError) -> [TruthRow] {
        guard exposure.kind != .reference else { return [] }
        var rows = [TruthRow]()
        if exposure.kind == .science {
            rows += try transientRows()
        }
        rows += try variableRows()
        if exposure.kind == .science {
            rows += try movingRows()
        }
        rows += try artifactRows()
        return rows
    }

    // MARK: Objects on the sky

    private func transientRows() throws(SimulationError) -> [TruthRow] {
        let reference = try ExposureScene.fits(referenceTransform, field.transients.map(\.ra), field.transients.map(\.dec))
        return field.transients.indices.compactMap { k in
            let transient = field.transients[k], point = scene.transients[k]
            let rate = transient.rate(at: exposure.mjdMid)
            guard rate > 0, inside(point.x, point.y) else { return nil }
            return skyRow(id: transient.id, kind: transient.kind, ra: transient.ra, dec: transient.dec,
                          point: point, reference: (reference.xs[k], reference.ys[k]), rate: rate,
                          referenceRate: 0, host: transient.hostID)
        }
    }

    private func variableRows() throws(SimulationError) -> [TruthRow] {
        let variables = field.stars.indices.filter { field.stars[$0].variability != nil }
        let stars = variables.map { field.stars[$0] }
        let reference = try ExposureScene.fits(referenceTransform, stars.map(\.ra), stars.map(\.dec))
        return variables.indices.compactMap { k in
            let star = stars[k], point = scene.stars[variables[k]]
            guard inside(point.x, point.y), let variability = star.variability else { return nil }
            return skyRow(id: star.id, kind: .variable, ra: star.ra, dec: star.dec, point: point,
                          reference: (reference.xs[k], reference.ys[k]),
                          rate: star.rate * variability.factor(at: exposure.mjdMid), referenceRate: star.rate, host: nil)
        }
    }

    private func movingRows() throws(SimulationError) -> [TruthRow] {
        let positions = field.movingObjects.map { $0.position(at: exposure.mjdMid) }
        let reference = try ExposureScene.fits(referenceTransform, positions.map(\.ra), positions.map(\.dec))
        return field.movingObjects.indices.compactMap { k in
            let object = field.movingObjects[k], point = scene.moving[k].point
            guard inside(point.x, point.y) else { return nil }
            return skyRow(id: object.id, kind: .moving, ra: positions[k].ra, dec: positions[k].dec, point: point,
                          reference: (reference.xs[k], reference.ys[k]), rate: object.fluxRate, referenceRate: 0,
                          host: nil)
        }
    }

    /// A row for a point source of `rate` e⁻/s now and `referenceRate` in the reference.
    private func skyRow(id: String, kind: TruthKind, ra: Double, dec: Double, point: ExposureScene.Point,
                        reference: (x: Double, y: Double), rate: Double, referenceRate: Double, host: String?) -> TruthRow {
        let flux = noise.adu(rate: rate)
        let delta = referenceNoise.adu(rate: rate - referenceRate)
        let array = fitsToArray(PixelPoint(x: point.x, y: point.y))
        let refArray = fitsToArray(PixelPoint(x: reference.x, y: reference.y))
        let science = ExpectedSNR.fluxVariance(
            backgroundVariance: noise.backgroundVariance(x: array.x, y: array.y), flux: flux, gain: noise.gain,
            sums: sums(exposure, array))
        let referenceVariance = ExpectedSNR.fluxVariance(
            backgroundVariance: referenceNoise.backgroundVariance(x: refArray.x, y: refArray.y),
            flux: referenceNoise.adu(rate: referenceRate), gain: referenceNoise.gain, sums: sums(field.reference, refArray))
        let snr = ExpectedSNR.snr(delta: delta, scienceVariance: science, referenceVariance: referenceVariance,
                                  scale: scale)
        var row = baseRow(id: id, kind: kind, ra: ra, dec: dec, x: point.x, y: point.y, xRef: reference.x,
                          yRef: reference.y, flux: flux)
        row.deltaFluxRef = delta
        row.expectedSNR = snr
        row.mag = Magnitudes.mag(rate, zeroPoint: configuration.camera.zeroPoint)
        row.hostID = host
        return row
    }

    private func sums(_ e: ExposurePlan, _ p: PixelPoint) -> ExpectedSNR.PSFSums {
        ExpectedSNR.PSFSums(profile: MoffatProfile(fwhm: e.fwhm, beta: e.beta),
                            phaseX: p.x - p.x.rounded(), phaseY: p.y - p.y.rounded())
    }

    // MARK: Artifacts

    private func artifactRows() throws(SimulationError) -> [TruthRow] {
        // Positions and line ends are collected in array coordinates and
        // turned into FITS ones in one place below.
        var drafts = [(id: String, kind: TruthKind, at: PixelPoint, electrons: Double, line: (PixelPoint, PixelPoint)?)]()
        let prefix = "\(FieldLayout.idPrefix(exposure.field))-"
            + (exposure.kind == .science ? "E\(Geometry.digits(exposure.epoch, 2))" : "R\(Geometry.digits(exposure.referenceIndex, 2))")
        for (k, ray) in rendered.cosmicRays.enumerated() {
            let a = PixelPoint(x: ray.start.x, y: ray.start.y), b = PixelPoint(x: ray.end.x, y: ray.end.y)
            drafts.append(("\(prefix)-CR\(Geometry.digits(k + 1, 4))", .cosmicRay,
                           PixelPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2), ray.electrons, ray.isTrack ? (a, b) : nil))
        }
        for (k, hot) in detector.hotPixels.enumerated() {
            drafts.append(("HP\(Geometry.digits(k + 1, 3))", .hotPixel, PixelPoint(x: Double(hot.x), y: Double(hot.y)),
                           hot.electronsPerMinute * exposure.exposureTime / 60, nil))
        }
        if let bad = detector.badColumn, let electrons = rendered.badColumnElectrons {
            let x = Double(bad.x)
            drafts.append(("BC", .badColumn, PixelPoint(x: x, y: Double(bad.firstRow + bad.lastRow) / 2), electrons,
                           (PixelPoint(x: x, y: Double(bad.firstRow)), PixelPoint(x: x, y: Double(bad.lastRow)))))
        }
        if let trail = exposure.trail, let electrons = rendered.trailElectrons {
            let (ax, ay, bx, by) = TrailRenderer.endPoints(trail, width: configuration.width, height: configuration.height)
            drafts.append(("\(prefix)-TR", .satelliteTrail, PixelPoint(x: (ax + bx) / 2, y: (ay + by) / 2), electrons,
                           (PixelPoint(x: ax, y: ay), PixelPoint(x: bx, y: by))))
        }
        guard !drafts.isEmpty else { return [] }
        let points = drafts.map { arrayToFITS($0.at) }
        let sky: [SkyPosition]
        do {
            sky = try transform.pixelToSky(xs: points.map(\.x), ys: points.map(\.y))
        } catch {
            throw SimulationError(.geometry, problem: "artifact positions: \(error)")
        }
        let reference = try ExposureScene.fits(referenceTransform, sky.map(\.ra), sky.map(\.dec))
        return drafts.indices.map { k in
            let draft = drafts[k]
            let flux = draft.electrons / noise.gain
            var row = baseRow(id: draft.id, kind: draft.kind, ra: sky[k].ra, dec: sky[k].dec, x: points[k].x,
                              y: points[k].y, xRef: reference.xs[k], yRef: reference.ys[k], flux: flux)
            row.deltaFluxRef = flux * scale
            if let (a, b) = draft.line {
                let (p, q) = (arrayToFITS(a), arrayToFITS(b))
                (row.x1, row.y1, row.x2, row.y2) = (p.x, p.y, q.x, q.y)
            }
            return row
        }
    }

    // MARK: Helpers

    private func baseRow(id: String, kind: TruthKind, ra: Double, dec: Double, x: Double, y: Double, xRef: Double,
                         yRef: Double, flux: Double) -> TruthRow {
        TruthRow(image: exposure.path, field: exposure.fieldName, epoch: exposure.epoch, mjd: exposure.mjdMid,
                 objectID: id, kind: kind, ra: ra, dec: dec, x: x, y: y, xRef: xRef, yRef: yRef, flux: flux,
                 deltaFluxRef: 0, expectedSNR: nil, mag: nil, hostID: nil, x1: nil, y1: nil, x2: nil, y2: nil)
    }

    /// Whether a FITS position lies on the image (within its outer pixel edges).
    private func inside(_ x: Double, _ y: Double) -> Bool {
        x >= 0.5 && y >= 0.5 && x <= Double(configuration.width) + 0.5 && y <= Double(configuration.height) + 0.5
    }
}
