/// `night.json`: the full configuration and what was drawn from it, for
/// provenance and for tests that need the conditions of each image.
struct NightManifest: Encodable {
    struct ImageSummary: Encodable {
        let path: String
        let kind: ExposurePlan.Kind
        let field: String
        let epoch: Int
        let referenceIndex: Int
        let dateObs: String
        let mjdStart: Double
        let mjdMid: Double
        /// Seconds.
        let exposureTime: Double
        let reads: Int
        /// Pixels.
        let fwhm: Double
        let beta: Double
        let transparency: Double
        /// Mean sky, e⁻ per pixel.
        let skyElectrons: Double
        let skyGradientX: Double
        let skyGradientY: Double
        /// Pixels.
        let offsetX: Double
        let offsetY: Double
        /// Degrees.
        let rotation: Double
        let pointingRA: Double
        let pointingDec: Double
        let airmass: Double
        /// ADU.
        let saturation: Double
        let trail: SatelliteTrail?
    }

    struct TransientSummary: Encodable {
        let id: String
        let kind: TruthKind
        let ra: Double
        let dec: Double
        let hostID: String?
        let neighbourID: String?
        let peakRate: Double
        let peakMag: Double
        let peakSNR: Double
        let lightCurve: LightCurve
    }

    struct MovingSummary: Encodable {
        let id: String
        let ra: Double
        let dec: Double
        let epochMJD: Double
        let rateArcsecPerHour: Double
        let bearing: Double
        let fluxRate: Double
        let mag: Double
        let snr: Double
    }

    struct FieldSummary: Encodable {
        let index: Int
        let name: String
        let label: String
        let ra: Double
        let dec: Double
        let stars: Int
        let variables: Int
        let galaxies: Int
        /// e⁻/s above the atmosphere of a change with expected S/N 1 at median conditions.
        let rateForUnitSNR: Double
        let transients: [TransientSummary]
        let moving: [MovingSummary]
    }

    let generator = "nocturne simulate"
    let seed: UInt64
    let zeroPoint: Double
    let zeroPointDefinition = "mag = zero_point - 2.5 log10(flux in e-/s above the atmosphere)"
    let nightStart: String
    let startMJD: Double
    let endMJD: Double
    let configuration: NightConfiguration
    let detector: Detector
    let fields: [FieldSummary]
    let images: [ImageSummary]

    init(simulator: NightSimulator) {
        let plan = simulator.plan, c = plan.configuration
        seed = c.seed
        zeroPoint = c.camera.zeroPoint
        nightStart = NightClock.iso(milliseconds: plan.nightStart)
        startMJD = plan.startMJD
        endMJD = plan.endMJD
        configuration = c
        detector = plan.detector
        fields = plan.fields.map { field in
            FieldSummary(
                index: field.layout.index, name: field.layout.name, label: field.layout.label, ra: field.layout.ra,
                dec: field.layout.dec, stars: field.stars.count,
                variables: field.stars.filter { $0.variability != nil }.count, galaxies: field.galaxies.count,
                rateForUnitSNR: field.rateForUnitSNR,
                transients: field.transients.map {
                    TransientSummary(id: $0.id, kind: $0.kind, ra: $0.ra, dec: $0.dec, hostID: $0.hostID,
                                     neighbourID: $0.neighbourID, peakRate: $0.peakRate,
                                     peakMag: Magnitudes.mag($0.peakRate, zeroPoint: c.camera.zeroPoint),
                                     peakSNR: $0.peakSNR, lightCurve: $0.lightCurve)
                },
                moving: field.movingObjects.map {
                    MovingSummary(id: $0.id, ra: $0.ra, dec: $0.dec, epochMJD: $0.epochMJD,
                                  rateArcsecPerHour: $0.rateArcsecPerHour, bearing: $0.bearing, fluxRate: $0.fluxRate,
                                  mag: Magnitudes.mag($0.fluxRate, zeroPoint: c.camera.zeroPoint), snr: $0.snr)
                })
        }
        images = simulator.exposures.map { e in
            ImageSummary(
                path: e.path, kind: e.kind, field: e.fieldName, epoch: e.epoch, referenceIndex: e.referenceIndex,
                dateObs: e.dateObs, mjdStart: e.mjdStart, mjdMid: e.mjdMid, exposureTime: e.exposureTime,
                reads: e.reads, fwhm: e.fwhm, beta: e.beta, transparency: e.transparency, skyElectrons: e.sky,
                skyGradientX: e.skyGradientX, skyGradientY: e.skyGradientY, offsetX: e.offsetX, offsetY: e.offsetY,
                rotation: e.rotation, pointingRA: e.wcs.crval.ra, pointingDec: e.wcs.crval.dec, airmass: e.airmass,
                saturation: c.camera.saturation * Double(e.reads), trail: e.trail)
        }
    }
}
