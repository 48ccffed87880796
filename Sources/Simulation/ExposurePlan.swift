import Foundation
import WCS

/// One image of the night, with everything that was drawn for it: time,
/// seeing, transparency, sky, pointing and WCS. Rendering it needs nothing
/// else but the field's catalogue.
public struct ExposurePlan: Sendable {
    /// What the image is.
    public enum Kind: String, Sendable, Codable {
        /// A science exposure of the night.
        case science
        /// The deep reference of a field: a clean coadd, no artifacts.
        case reference
        /// One of the shallow reference exposures written for stacking.
        case referenceExposure = "reference_exposure"
    }

    /// What the image is.
    public let kind: Kind
    /// 0-based field number.
    public let field: Int
    /// Field name, the `OBJECT` card (e.g. `NOC-F00`).
    public let fieldName: String
    /// 0-based science epoch (`E03` is 3); -1 for reference images.
    public let epoch: Int
    /// 1-based number of a shallow reference exposure; 0 otherwise.
    public let referenceIndex: Int
    /// Start of the exposure, ms since 1970-01-01T00:00:00 UTC.
    public let startMilliseconds: Int64
    /// Exposure time in seconds (`EXPTIME`).
    public let exposureTime: Double
    /// Number of readouts summed into the image: `camera.reference_depth`
    /// for the deep reference, else 1. Read-noise variance and the
    /// saturation level scale with it.
    public let reads: Int
    /// Moffat FWHM in pixels.
    public let fwhm: Double
    /// Moffat β.
    public let beta: Double
    /// Flux scale of the atmosphere, (0, 1].
    public let transparency: Double
    /// Mean sky in e⁻ per pixel over the image.
    public let sky: Double
    /// Fractional change of the sky from the first to the last column.
    public let skyGradientX: Double
    /// Fractional change of the sky from the first to the last row.
    public let skyGradientY: Double
    /// Pointing offset from the field centre in pixels, along x.
    public let offsetX: Double
    /// Pointing offset from the field centre in pixels, along y.
    public let offsetY: Double
    /// Rotation of the image in degrees (`CROTA2` sense).
    public let rotation: Double
    /// The WCS the image is rendered with and written with.
    public let wcs: TangentPlaneWCS
    /// Airmass at mid-exposure.
    public let airmass: Double
    /// The satellite trail crossing the image, if any.
    public let trail: SatelliteTrail?

    /// Base name of the file: `NOC-F00-E03.fits`, `NOC-F00-REF.fits` or
    /// `NOC-F00-REF02.fits`.
    public var fileName: String {
        switch kind {
        case .science: "\(fieldName)-E\(twoDigits(epoch)).fits"
        case .reference: "\(fieldName)-REF.fits"
        case .referenceExposure: "\(fieldName)-REF\(twoDigits(referenceIndex)).fits"
        }
    }

    /// The file's path relative to the output folder, e.g. `science/NOC-F00-E03.fits`.
    public var path: String { (kind == .science ? "science/" : "reference/") + fileName }

    /// `DATE-OBS`: the start, ISO 8601 UTC with milliseconds.
    public var dateObs: String { NightClock.iso(milliseconds: startMilliseconds) }
    /// `MJD-OBS`: the start as a Modified Julian Date.
    public var mjdStart: Double { NightClock.mjd(milliseconds: startMilliseconds) }
    /// Mid-exposure MJD, when positions and fluxes are evaluated.
    public var mjdMid: Double { mjdStart + exposureTime / 2 / 86400 }
    /// Whether the image gets cosmic rays, hot pixels, the bad column and trails.
    public var hasArtifacts: Bool { kind != .reference }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A straight satellite trail across a whole image.
public struct SatelliteTrail: Sendable, Codable, Hashable {
    /// A point on the trail, 0-based array coordinates.
    public let x: Double
    /// A point on the trail, 0-based array coordinates.
    public let y: Double
    /// Direction in degrees from +x towards +y, [0, 180).
    public let angle: Double
    /// Gaussian σ of the cross-section in pixels.
    public let sigma: Double
    /// S/N per pixel of length (see `NightConfiguration.Artifacts.trailSNR`).
    public let snr: Double
}

extension ExposurePlan {
    /// Draws the conditions of one image from its own stream and builds its WCS.
    static func plan(field: FieldLayout, image: RandomStream.Image, configuration c: NightConfiguration,
                     nightStart: Int64, hourAngleOffset: Double) throws(SimulationError) -> ExposurePlan {
        var random = RandomStream.image(field.index, image, .conditions, seed: c.seed)
        let science: Bool, epoch: Int, index: Int
        switch image {
        case .science(let e): (science, epoch, index) = (true, e, 0)
        case .reference: (science, epoch, index) = (false, -1, 0)
        case .referenceExposure(let k): (science, epoch, index) = (false, -1, k)
        }
        let deep = !science && index == 0
        let fwhm = random.uniform(in: science ? c.conditions.fwhm : c.conditions.referenceFWHM)
        let beta = random.uniform(in: c.conditions.beta)
        let transparency = random.uniform(in: science ? c.conditions.transparency : c.conditions.referenceTransparency)
        let skyPerExposure = random.uniform(in: c.conditions.sky)
        let gradient = random.uniform(in: c.conditions.skyGradient), direction = random.uniform(0, 2 * Double.pi)
        var offsetX = random.uniform(-1, 1) * c.conditions.pointingOffset
        var offsetY = random.uniform(-1, 1) * c.conditions.pointingOffset
        var rotation = random.uniform(-1, 1) * c.conditions.rotation
        // The deep reference is a coadd resampled onto the field's nominal grid.
        if deep { (offsetX, offsetY, rotation) = (0, 0, 0) }
        let jitter = random.uniform(0, NightSchedule.jitterSeconds)
        let reads = deep ? c.camera.referenceDepth : 1
        let exposureTime = science ? c.camera.exposure
            : c.camera.exposure * Double(c.camera.referenceDepth) / Double(deep ? 1 : c.referenceExposures)
        let trail = science && random.uniform() < c.artifacts.trailProbability
            ? SatelliteTrail(x: random.uniform(0, Double(c.width - 1)), y: random.uniform(0, Double(c.height - 1)),
                             angle: random.uniform(0, 180), sigma: fwhm / 2.3548 * random.uniform(1, 1.5),
                             snr: random.uniform(in: c.artifacts.trailSNR))
            : nil
        let start = science
            ? NightSchedule.scienceStart(nightStart: nightStart, configuration: c, field: field.index, epoch: epoch,
                                         jitter: jitter)
            : NightSchedule.referenceStart(nightStart: nightStart, configuration: c, field: field.index, index: index)
        let fraction = science ? (Double(start - nightStart) / 3.6e6 + exposureTime / 7200) / c.night.durationHours : 0.5
        let hourAngle = science ? NightSchedule.hourAngle(fieldOffset: hourAngleOffset, fractionOfNight: fraction)
            : hourAngleOffset / 2
        let wcs = try pointedWCS(field: field, configuration: c, offsetX: offsetX, offsetY: offsetY, rotation: rotation)
        return ExposurePlan(
            kind: science ? .science : (deep ? .reference : .referenceExposure), field: field.index,
            fieldName: field.name, epoch: epoch, referenceIndex: index, startMilliseconds: start,
            exposureTime: exposureTime, reads: reads, fwhm: fwhm, beta: beta, transparency: transparency,
            sky: skyPerExposure * exposureTime / c.camera.exposure,
            skyGradientX: gradient * cos(direction), skyGradientY: gradient * sin(direction),
            offsetX: offsetX, offsetY: offsetY, rotation: rotation, wcs: wcs,
            airmass: NightSchedule.airmass(declination: field.dec, hourAngle: hourAngle,
                                           latitude: c.night.siteLatitude).airmass,
            trail: trail)
    }

    /// The field's nominal WCS: TAN, north up, east left, centred on the field.
    static func nominalWCS(field: FieldLayout, configuration c: NightConfiguration) -> TangentPlaneWCS {
        TangentPlaneWCS(crpix1: Double(c.width + 1) / 2, crpix2: Double(c.height + 1) / 2,
                        crval: SkyPosition(ra: field.ra, dec: field.dec), pixelScale: c.camera.pixelScale)
    }

    /// A WCS whose centre is the nominal grid's pixel `crpix + offset` and
    /// which is turned by `rotation` degrees; the sky position of the new
    /// centre comes from the nominal WCS through WCSLIB, never from RA/Dec arithmetic.
    static func pointedWCS(field: FieldLayout, configuration c: NightConfiguration, offsetX: Double, offsetY: Double,
                           rotation: Double) throws(SimulationError) -> TangentPlaneWCS {
        let nominal = nominalWCS(field: field, configuration: c)
        guard offsetX != 0 || offsetY != 0 || rotation != 0 else { return nominal }
        do {
            let transform = try WCSTransform(nominal)
            let pointing = try transform.pixelToSky(x: nominal.crpix1 + offsetX, y: nominal.crpix2 + offsetY)
            return TangentPlaneWCS(crpix1: nominal.crpix1, crpix2: nominal.crpix2, crval: pointing,
                                   pixelScale: c.camera.pixelScale, rotation: rotation)
        } catch {
            throw SimulationError(.geometry, problem: "cannot point field \(field.name): \(error)")
        }
    }
}
