import FFT
import Foundation
@testable import Imaging
import Subtraction
import TestSupport
import WCS
@testable import Extraction

/// A source of known position and flux, in reference units, 0-based.
typealias Source = (x: Double, y: Double, flux: Double)

/// A subtracted pair of synthetic images, after ZOGYTests: a deep reference
/// (FWHM 2.6, σ 4) and a shallower new image (FWHM 3.4, σ 10, 0.8×
/// transparency) of the same random stars, plus sources placed only in one
/// of them.
struct Scene {
    static let fluxRatio = 0.8

    var input: ZOGYInput
    var result: ZOGYResult
    /// Every star of the reference image, random ones and placed ones.
    var referenceSources: [Source]

    /// - Parameters:
    ///   - starCount: random field stars, present in both images.
    ///   - referenceOnly: placed in the reference only (e.g. the "before" of
    ///     a star that faded or moved).
    ///   - newOnly: placed in the new image only (transients, "after").
    ///   - masks: edits the new and reference masks before subtraction.
    init(size: Int = 256, starCount: Int = 120, seed: UInt64 = 1, referenceOnly: [Source] = [], newOnly: [Source] = [],
         masks: (inout Image<MaskBits>, inout Image<MaskBits>) -> Void = { _, _ in }) throws {
        let field = StarField.make(width: size, height: size, count: starCount, fwhm: 2.6, noise: 4, seed: seed)
        let referenceStars = field.truth + referenceOnly
        let reference = StarField.render(referenceStars, width: size, height: size, fwhm: 2.6, noise: 4,
                                         seed: seed &+ 99)
        let newStars = (field.truth + newOnly).map { (x: $0.x, y: $0.y, flux: $0.flux * Self.fluxRatio) }
        let new = StarField.render(newStars, width: size, height: size, fwhm: 3.4, noise: 10, seed: seed &+ 7)
        var newMask = Image<MaskBits>.good(width: size, height: size)
        var referenceMask = newMask
        masks(&newMask, &referenceMask)
        input = ZOGYInput(
            new: MaskedImage(image: new.image, variance: new.rms.map { $0 * $0 }, mask: newMask),
            reference: MaskedImage(image: reference.image, variance: reference.rms.map { $0 * $0 },
                                   mask: referenceMask),
            newPSF: PSFModel.moffat(fwhm: 3.4, size: 31), referencePSF: PSFModel.moffat(fwhm: 2.6, size: 31),
            newSigma: 10, referenceSigma: 4, fluxRatio: Self.fluxRatio)
        result = try ZOGY(planner: Self.planner).subtract(input)
        referenceSources = referenceStars
    }

    /// The reference catalogue as the pipeline would hold it.
    var referenceCatalogue: [Star] {
        referenceSources.map {
            Star(position: PixelPoint(x: $0.x, y: $0.y), flux: $0.flux, fluxError: 1, peak: 0, shape: nil, flags: [])
        }
    }

    func extract(wcs: WCSTransform? = nil, zeroPoint: Double? = nil,
                 parameters: ExtractionParameters = ExtractionParameters()) -> ExtractionOutput {
        CandidateExtractor.extract(result: result, new: input.new, reference: input.reference,
                                   referenceStars: referenceCatalogue, referenceWCS: wcs,
                                   zeroPoint: zeroPoint, parameters: parameters)
    }

    /// Tests plan with ESTIMATE: fast to plan, same results to float precision.
    static let planner = FFTPlanner(rigor: .estimate)
}

/// The candidate nearest to a point, with its distance.
func nearest(_ candidates: [Candidate], to x: Double, _ y: Double) -> (candidate: Candidate, distance: Double)? {
    candidates
        .map { ($0, hypot($0.position.x - x, $0.position.y - y)) }
        .min { $0.1 < $1.1 }
}

/// Median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

/// Mean and sample standard deviation.
func meanAndSpread(_ values: [Double]) -> (mean: Double, std: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    return (mean, variance.squareRoot())
}
