import Imaging
import WCS

/// Where everything of a field lands in one exposure, and how bright it is
/// there: positions from the sky through the exposure's own WCS, fluxes in
/// electrons at mid-exposure.
struct ExposureScene {
    /// A point-like source in this exposure.
    struct Point {
        /// FITS (1-based) position in this image.
        let x: Double, y: Double
        /// Electrons in this exposure.
        let electrons: Double
    }

    let exposure: ExposurePlan
    /// One per star of the field (including those off the image).
    let stars: [Point]
    /// One per galaxy, with the local map from reference to exposure pixels.
    let galaxies: [(point: Point, jacobian: Jacobian)]
    /// One per transient (science images only; empty otherwise).
    let transients: [Point]
    /// One per moving object: its mid-exposure position and flux, and the
    /// FITS positions it passes through during the exposure (science only).
    let moving: [(point: Point, path: [(x: Double, y: Double)])]

    init(exposure e: ExposurePlan, field: FieldPlan, transform: WCSTransform, referenceTransform: WCSTransform,
         noise: NoiseModel, configuration c: NightConfiguration) throws(SimulationError) {
        exposure = e
        let mjd = e.mjdMid
        let deep = e.kind == .reference
        let s = try Self.fits(transform, field.stars.map(\.ra), field.stars.map(\.dec))
        stars = field.stars.indices.map { k in
            let star = field.stars[k]
            let factor = deep ? 1 : star.variability?.factor(at: mjd) ?? 1
            return Point(x: s.xs[k], y: s.ys[k], electrons: noise.electrons(rate: star.rate * factor))
        }
        galaxies = try Self.galaxies(field.galaxies, transform: transform, reference: referenceTransform, noise: noise)
        guard e.kind == .science else {
            transients = []
            moving = []
            return
        }
        let t = try Self.fits(transform, field.transients.map(\.ra), field.transients.map(\.dec))
        transients = field.transients.indices.map { k in
            Point(x: t.xs[k], y: t.ys[k], electrons: noise.electrons(rate: field.transients[k].rate(at: mjd)))
        }
        moving = try field.movingObjects.map { (object) throws(SimulationError) in
            try Self.path(object, exposure: e, transform: transform, noise: noise, configuration: c)
        }
    }

    /// FITS positions of sky positions; those that cannot be projected are
    /// put far off the image.
    static func fits(_ transform: WCSTransform, _ ras: [Double],
                     _ decs: [Double]) throws(SimulationError) -> (xs: [Double], ys: [Double]) {
        guard !ras.isEmpty else { return ([], []) }
        let array = try Geometry.arrayPixels(transform, ras, decs)
        var xs = [Double](), ys = [Double]()
        xs.reserveCapacity(ras.count)
        ys.reserveCapacity(ras.count)
        for k in ras.indices {
            let valid = array.xs[k].isFinite && array.ys[k].isFinite
            let point = arrayToFITS(PixelPoint(x: valid ? array.xs[k] : -1e9, y: valid ? array.ys[k] : -1e9))
            xs.append(point.x)
            ys.append(point.y)
        }
        return (xs, ys)
    }

    /// Galaxy centres and the Jacobian of reference → exposure pixels,
    /// from one-pixel steps along the reference axes carried through both WCSs.
    private static func galaxies(_ galaxies: [Galaxy], transform: WCSTransform, reference: WCSTransform,
                                 noise: NoiseModel) throws(SimulationError) -> [(point: Point, jacobian: Jacobian)] {
        guard !galaxies.isEmpty else { return [] }
        let n = galaxies.count
        let base = try Geometry.arrayPixels(reference, galaxies.map(\.ra), galaxies.map(\.dec))
        let steps = try Geometry.sky(reference, arrayXs: base.xs.map { $0 + 1 } + base.xs,
                                     arrayYs: base.ys + base.ys.map { $0 + 1 })
        let all = try fits(transform, galaxies.map(\.ra) + steps.map(\.ra), galaxies.map(\.dec) + steps.map(\.dec))
        return (0..<n).map { k in
            let (x, y) = (all.xs[k], all.ys[k])
            let jacobian = Jacobian(dxdu: all.xs[n + k] - x, dxdv: all.xs[2 * n + k] - x,
                                    dydu: all.ys[n + k] - y, dydv: all.ys[2 * n + k] - y)
            return (Point(x: x, y: y, electrons: noise.electrons(rate: galaxies[k].rate)), jacobian)
        }
    }

    /// A moving object's mid-exposure position and the positions it passes
    /// through, sampled four times per pixel of motion.
    private static func path(_ object: MovingObject, exposure e: ExposurePlan, transform: WCSTransform,
                             noise: NoiseModel, configuration c: NightConfiguration) throws(SimulationError)
        -> (point: Point, path: [(x: Double, y: Double)]) {
        let motion = object.rateArcsecPerHour * e.exposureTime / 3600 / c.camera.pixelScale
        let samples = max(1, Int((motion * 4).rounded(.up)))
        var times = [e.mjdMid]
        let step = e.exposureTime / 86400 / Double(samples)
        for k in 0..<samples { times.append(e.mjdStart + (Double(k) + 0.5) * step) }
        let positions: [SkyPosition] = times.map { object.position(at: $0) }
        let p = try fits(transform, positions.map(\.ra), positions.map(\.dec))
        let point = Point(x: p.xs[0], y: p.ys[0], electrons: noise.electrons(rate: object.fluxRate))
        return (point, (1...samples).map { (p.xs[$0], p.ys[$0]) })
    }
}
