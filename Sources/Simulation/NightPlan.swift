import Foundation
import Imaging
import WCS

/// Everything drawn for one field: its images and its sky.
public struct FieldPlan: Sendable {
    /// Name and centre.
    public let layout: FieldLayout
    /// The deep reference: a clean coadd on the field's nominal grid.
    public let reference: ExposurePlan
    /// The shallow reference exposures (`reference_exposures` of them).
    public let referenceExposures: [ExposurePlan]
    /// The science epochs in time order.
    public let science: [ExposurePlan]
    /// Static stars, variables among them.
    public let stars: [Star]
    /// Static galaxies.
    public let galaxies: [Galaxy]
    /// Injected transients.
    public let transients: [Transient]
    /// Injected moving objects.
    public let movingObjects: [MovingObject]
    /// Reference flux above the atmosphere (e⁻/s) of a change with expected
    /// S/N 1 at the field's median conditions.
    public let rateForUnitSNR: Double

    /// Every image of the field: deep reference, shallow references, science.
    public var exposures: [ExposurePlan] { [reference] + referenceExposures + science }
}

/// The whole night, planned from a configuration: fields, images,
/// catalogues and injections. Pure: it converts positions with WCSLIB but
/// renders and writes nothing.
public struct NightPlan: Sendable {
    /// The configuration it was planned from.
    public let configuration: NightConfiguration
    /// Start of the night, ms since 1970-01-01 UTC.
    public let nightStart: Int64
    /// The camera's fixed defects.
    public let detector: Detector
    /// The fields, in order.
    public let fields: [FieldPlan]

    /// Start of the night, MJD.
    public var startMJD: Double { NightClock.mjd(milliseconds: nightStart) }
    /// End of the night, MJD.
    public var endMJD: Double { startMJD + configuration.night.durationHours / 24 }

    /// Plans the night. Throws when the configuration is invalid or a
    /// position cannot be converted.
    public init(configuration c: NightConfiguration) throws(SimulationError) {
        try c.validate()
        guard let start = NightClock.milliseconds(iso: c.night.start) else {
            throw .configuration("night.start", "cannot parse '\(c.night.start)'")
        }
        configuration = c
        nightStart = start
        detector = Detector.draw(configuration: c)
        var fields = [FieldPlan]()
        for index in 0..<c.fields {
            fields.append(try Self.planField(index, configuration: c, nightStart: start))
        }
        self.fields = fields
    }

    private static func planField(_ index: Int, configuration c: NightConfiguration,
                                  nightStart: Int64) throws(SimulationError) -> FieldPlan {
        let layout = FieldLayout.field(index, seed: c.seed)
        var schedule = RandomStream.field(index, .schedule, seed: c.seed)
        let hourAngleOffset = schedule.uniform(-1, 1)
        func plan(_ image: RandomStream.Image) throws(SimulationError) -> ExposurePlan {
            try ExposurePlan.plan(field: layout, image: image, configuration: c, nightStart: nightStart,
                                  hourAngleOffset: hourAngleOffset)
        }
        let reference = try plan(.reference)
        var shallow = [ExposurePlan]()
        for k in 0..<c.referenceExposures { shallow.append(try plan(.referenceExposure(k + 1))) }
        var science = [ExposurePlan]()
        for epoch in 0..<c.epochs { science.append(try plan(.science(epoch: epoch))) }

        let startMJD = NightClock.mjd(milliseconds: nightStart)
        let endMJD = startMJD + c.night.durationHours / 24
        let referenceTransform = try Geometry.transform(reference.wcs)
        let margin = Self.margin(c)
        var stars = try StarCatalogue.draw(field: index, configuration: c, reference: referenceTransform, margin: margin)
        try StarCatalogue.finish(&stars, field: index, configuration: c, reference: reference,
                                 exposures: [reference] + shallow + science, nightMidMJD: (startMJD + endMJD) / 2)
        let galaxies = try GalaxyCatalogue.draw(field: index, configuration: c, reference: referenceTransform,
                                                margin: margin)
        let unit = ExpectedSNR.rateForUnitSNR(reference: reference, science: science, configuration: c)
        let transients = try TransientPlanner.draw(.init(
            configuration: c, field: index, reference: referenceTransform, stars: stars, galaxies: galaxies,
            rateForSNR: unit, nightStartMJD: startMJD, nightEndMJD: endMJD))
        let moving = try MovingObjectPlanner.draw(field: index, configuration: c, reference: referenceTransform,
                                                  rateForSNR: unit, nightMidMJD: (startMJD + endMJD) / 2)
        return FieldPlan(layout: layout, reference: reference, referenceExposures: shallow, science: science,
                         stars: stars, galaxies: galaxies, transients: transients, movingObjects: moving,
                         rateForUnitSNR: unit)
    }

    /// How far outside the reference image static sources are drawn, pixels:
    /// the largest pointing offset, the corner shift of the largest rotation,
    /// and room for the wings of bright stars and large galaxies.
    static func margin(_ c: NightConfiguration) -> Double {
        let halfDiagonal = 0.5 * Double(c.width * c.width + c.height * c.height).squareRoot()
        let turn = halfDiagonal * sin(c.conditions.rotation * Double.pi / 180)
        return (c.conditions.pointingOffset * 2.0.squareRoot() + turn + 40).rounded(.up)
    }
}
