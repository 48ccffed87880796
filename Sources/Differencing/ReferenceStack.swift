import FITS
import Imaging
import Preprocessing
import WCS

/// A deep reference made by stacking aligned exposures of one field.
public struct ReferenceStack: Sendable {
    /// The stacked, background-subtracted image in the target exposure's
    /// units (ADU at its zero point); NaN where no exposure contributed.
    public let image: Image<Float>
    /// 1σ noise per pixel of the stack, same units.
    public let noise: Image<Float>
    /// How many exposures contributed to each pixel.
    public let depth: Image<Float>
    /// The grid (and WCS) of the stack: that of the target exposure.
    public let wcs: WCSTransform
    /// Per input: its name, weight, flux scale to the target, and the
    /// registration rms (pixels).
    public let inputs: [Input]
    /// The effective gain (e⁻/ADU) for the stack's source noise.
    public let gain: Double?
    /// The white-equivalent sky σ of the stack, √(1 / Σ 1/σᵢ²) over the
    /// inputs' scaled sky σ: what subtraction must use, because resampling
    /// lowers the stack's pixel rms below the noise a matched filter sees.
    public let skySigma: Double

    /// One exposure's part in the stack.
    public struct Input: Sendable {
        public let name: String
        public let weight: Double
        public let fluxScale: Double
        public let registrationRMS: Double
        public let seeing: Double
    }
}

/// Builds a reference by stacking: each exposure is preprocessed, registered
/// on stars onto the target's grid, resampled (Lanczos-3, flux-conserving),
/// scaled to the target's zero point by its PSF-fit flux ratio, and the stack
/// is the sigma-clipped, inverse-variance weighted mean per pixel.
public enum ReferenceStacker {
    /// Stacks `exposures` onto the grid of `exposures[target]`.
    ///
    /// - Parameters:
    ///   - clipSigma: values further than this many σ (of that exposure's
    ///     noise) from the per-pixel weighted median are dropped: cosmic rays
    ///     the masks missed, transients, satellites.
    public static func build(_ exposures: [Exposure], target: Int = 0, clipSigma: Double = 3,
                             parameters: DifferenceParameters = DifferenceParameters()) throws -> ReferenceStack {
        guard exposures.indices.contains(target), exposures.count >= 2 else {
            throw DifferenceError(image: exposures.first?.name ?? "reference", reason: "stacking needs at least two exposures")
        }
        let pipeline = DifferencePipeline(parameters: parameters)
        let reference = try pipeline.prepareReference(exposures[target])
        var layers: [StackLayer] = []
        for (index, exposure) in exposures.enumerated() {
            layers.append(try layer(exposure, isTarget: index == target, reference: reference, pipeline: pipeline))
        }
        let combined = StackCombiner.combine(layers, width: reference.width, height: reference.height, clipSigma: clipSigma)
        let totalWeight = layers.map(\.weight).reduce(0, +)
        let targetWeight = layers[target].weight
        let gain = exposures[target].gain.map { $0 * totalWeight / max(targetWeight, 1e-30) }
        return ReferenceStack(
            image: combined.image, noise: combined.noise, depth: combined.depth, wcs: reference.wcs,
            inputs: layers.map { ReferenceStack.Input(name: $0.name, weight: $0.weight, fluxScale: $0.fluxScale,
                                                      registrationRMS: $0.registrationRMS, seeing: $0.seeing) },
            gain: gain, skySigma: 1 / layers.map(\.weight).reduce(0, +).squareRoot())
    }

    private static func layer(_ exposure: Exposure, isTarget: Bool, reference: PreparedReference,
                              pipeline: DifferencePipeline) throws -> StackLayer {
        if isTarget {
            let p = reference.prepared
            let sigma = p.effectiveSigma
            return StackLayer(name: exposure.name, image: p.masked.image, variance: p.masked.variance, mask: p.masked.mask,
                              fluxScale: 1, weight: 1 / (sigma * sigma), registrationRMS: 0, seeing: p.psf.fwhm)
        }
        let result = try pipeline.align(exposure, onto: reference)
        let scale = result.fluxRatio
        let sigma = result.science.effectiveSigma / scale
        var image = result.aligned.image, variance = result.aligned.variance
        for i in 0..<image.count {
            image.pixels[i] /= Float(scale)
            variance.pixels[i] /= Float(scale * scale)
        }
        return StackLayer(name: exposure.name, image: image, variance: variance, mask: result.aligned.mask,
                          fluxScale: scale, weight: 1 / (sigma * sigma), registrationRMS: result.registration.rmsPixels,
                          seeing: result.alignedPSF.fwhm)
    }
}

/// One aligned, scaled exposure on the stack's grid.
struct StackLayer {
    let name: String
    let image: Image<Float>
    let variance: Image<Float>
    let mask: Image<MaskBits>
    let fluxScale: Double
    let weight: Double
    let registrationRMS: Double
    let seeing: Double
}
