import FITS
import Imaging
import WCS

/// One rendered image with its header cards and truth rows. The caller owns
/// it; nothing has been written to disk.
public struct RenderedImage: Sendable {
    /// What was rendered.
    public let exposure: ExposurePlan
    /// The pixels in ADU (float32), `width` x `height`.
    public let image: Image<Float>
    /// The header cards to write with it (camera keys, WCS, provenance).
    public let header: [FITSKeyValue]
    /// Its rows of `truth.csv` (none for a deep reference).
    public let truth: [TruthRow]
}

/// The night simulator: plans a night from a configuration and renders its
/// images one at a time.
///
/// Pure: no file I/O, no clock, no global random state. The same
/// configuration renders bit-identical images and truth rows; each image
/// depends only on its own streams and its field's plan, so images can be
/// rendered in any order or in parallel.
///
/// ```swift
/// let simulator = try NightSimulator(configuration: NightConfiguration())
/// for exposure in simulator.exposures {
///     let rendered = try simulator.render(exposure)
///     // write rendered.image with rendered.header; collect rendered.truth
/// }
/// ```
public struct NightSimulator: Sendable {
    /// The planned night.
    public let plan: NightPlan

    /// Validates `configuration` and plans the night.
    /// - Throws: ``SimulationError`` naming the configuration key at fault,
    ///   or a geometry error when a WCS cannot be built.
    public init(configuration: NightConfiguration) throws(SimulationError) {
        plan = try NightPlan(configuration: configuration)
    }

    /// The configuration the night was planned from.
    public var configuration: NightConfiguration { plan.configuration }

    /// Every image of the night, sorted by path: per field the deep
    /// reference, shallow reference exposures, then (in `science/`) every
    /// field's epochs.
    public var exposures: [ExposurePlan] {
        plan.fields.flatMap(\.exposures).sorted { $0.path < $1.path }
    }

    /// Renders one image of this night.
    /// - Throws: ``SimulationError`` with ``SimulationError/Code/geometry``
    ///   when a position cannot be converted.
    public func render(_ exposure: ExposurePlan) throws(SimulationError) -> RenderedImage {
        let c = plan.configuration
        let field = plan.fields[exposure.field]
        let transform = try Geometry.transform(exposure.wcs)
        let referenceTransform = try Geometry.transform(field.reference.wcs)
        let noise = NoiseModel(exposure: exposure, configuration: c)
        let scene = try ExposureScene(exposure: exposure, field: field, transform: transform,
                                      referenceTransform: referenceTransform, noise: noise, configuration: c)
        let rendered = ExposureRenderer(scene: scene, field: field, detector: plan.detector, noise: noise,
                                        configuration: c).render()
        let truth = try ExposureTruth(
            exposure: exposure, field: field, scene: scene, rendered: rendered, transform: transform,
            referenceTransform: referenceTransform, noise: noise,
            referenceNoise: NoiseModel(exposure: field.reference, configuration: c), configuration: c,
            detector: plan.detector).rows()
        return RenderedImage(exposure: exposure, image: rendered.image,
                             header: ImageHeader.cards(for: exposure, noise: noise, configuration: c), truth: truth)
    }
}
