import Differencing
import Envelopes
import FITS
import Foundation
import Imaging
import StageRuntime
import Store
import Subtraction

/// `nocturne-difference`: ZOGY subtraction of the aligned image and its
/// reference. Writes `D.fits`, `Scorr.fits` and `zogy.fits` to the archive
/// and a `difference_runs` row, and sends the subtraction's planes (and the
/// aligned image, which extraction cuts stamps from) on.
public final class DifferenceWorker: StageWorker {
    public let name = "difference"
    public let inputStatus = ProgressStatus.preprocessed
    public let outputStatus = ProgressStatus.differenced
    let pipeline: DifferencePipeline
    let references: ReferenceCache

    /// A worker using `pipeline`'s parameters (FFTW plans are shared per size).
    public init(pipeline: DifferencePipeline) {
        self.pipeline = pipeline
        references = ReferenceCache(pipeline: pipeline)
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = ContinuousClock.now
        let input = try AlignedInput.load(item, store: context.store, archive: Archive(root: context.archive))
        let reference = try references.reference(input.reference, store: context.store)
        let figures = input.parameters
        let zogy = try pipeline.subtract(
            input.aligned, psf: input.psf, sigma: figures.double("sigma"), fluxRatio: figures.double("flux_ratio"),
            astrometricSigma: figures.double("astrometric_sigma_px"), gain: figures.optionalDouble("gain"),
            against: reference)
        let wcsCards = try FITSHeader(parsing: try reference.wcs.headerCards(), file: "WCS of \(reference.exposure.name)").keyValues
        let provenance = DifferenceProducts.provenance(
            zogy, fluxRatio: figures.double("flux_ratio"), reference: reference,
            scienceName: try context.store.filePath(of: item.observationID) ?? "\(item.observationID)",
            astrometricRMSArcsec: figures.double("astrometric_rms_arcsec"), scienceSeeing: figures.double("seeing_px"))
        let paths = try Archive(root: context.archive).writeSubtraction(
            zogy, wcsCards: wcsCards, provenance: provenance, run: item.runID, observation: item.observationID)
        let threshold = pipeline.parameters.extraction.threshold
        let pointFluxError = zogy.pointSourceFluxError()
        let parameters = JSONText.encode([
            "flux_ratio": figures.double("flux_ratio"), "sigma_new": figures.double("sigma"),
            "sigma_reference": reference.prepared.effectiveSigma,
            "astrometric_sigma_px": figures.double("astrometric_sigma_px"), "normalize_score": pipeline.parameters.normalizeScore,
            "flux_scale": zogy.fluxScale, "difference_zero_point": zogy.differenceZeroPoint,
            "score_normalization": zogy.scoreNormalization, "difference_path": paths.difference.path,
            "zogy_path": paths.zogy.path, "aligned_path": input.alignedPath ?? "",
            "point_flux_error": pointFluxError,
            "limiting_mag_5sigma": ZOGYResult.limitingMagnitude(fluxError: pointFluxError, zeroPoint: reference.exposure.zeroPoint)
                ?? Double.nan,
        ])
        let (runID, observationID, referenceID) = (item.runID, item.observationID, input.reference)
        let zogyStd = zogy.differenceStd, scorrStd = zogy.scoreCorrectedStd, fluxRatio = figures.double("flux_ratio")
        let frames = Frames.masked("aligned", input.aligned) + [
            .image("D", zogy.difference), .image("S", zogy.score), .image("S.variance", zogy.scoreVariance),
            .image("Scorr", zogy.scoreCorrected), Frames.mask("zogy.mask", zogy.mask), .image("PD", zogy.differencePSF.stamp),
        ]
        let envelope = item.nextMessage(kind: .differenced, payload: parameters,
                                                ids: ["reference": referenceID.uuidString], frames: frames)
        return WorkResult(persist: { store in
            let preprocess = try store.preprocessRun(runID: runID, observationID: observationID)
            try store.saveDifferenceRun(DifferenceRunRecord(
                runID: runID, observationID: observationID, preprocessRunID: preprocess?.id,
                referenceObservationID: referenceID, parameters: parameters, fluxRatio: fluxRatio,
                noiseLevel: zogyStd, scorrStd: scorrStd, threshold: threshold, differencePath: paths.difference.path,
                scorrPath: paths.scorr.path, psfPath: paths.zogy.path, durationMS: started.millisecondsElapsed))
        }, downstream: [envelope])
    }

}

/// The difference stage's input: the aligned image and PSF with the
/// preprocess figures, from the message or, when resuming, the archive.
struct AlignedInput {
    var aligned: MaskedImage
    var psf: PSFModel
    var reference: UUID
    var parameters: [String: Any]
    var alignedPath: String?

    static func load(_ item: WorkItem, store: PipelineStore, archive: Archive) throws -> AlignedInput {
        guard let row = try store.preprocessRun(runID: item.runID, observationID: item.observationID),
              let reference = row.reference else {
            throw StageError("observation \(item.observationID) has no preprocess_runs row in run \(item.runID)")
        }
        if let message = item.message, let aligned = Frames.masked("aligned", in: message),
           let psf = message.frame("psf")?.floatImage() {
            return AlignedInput(aligned: aligned, psf: PSFModel(stamp: psf, starsUsed: 0), reference: reference,
                                parameters: JSONText.decode(message.payload), alignedPath: row.path)
        }
        guard let path = row.path, FileManager.default.fileExists(atPath: path) else {
            throw StageError("observation \(item.observationID): no message and no aligned product in the archive (\(row.path ?? "none"))")
        }
        let (aligned, psf) = try archive.readAligned(URL(fileURLWithPath: path))
        return AlignedInput(aligned: aligned, psf: psf, reference: reference, parameters: JSONText.decode(row.parameters),
                            alignedPath: path)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A number from a JSON object; NaN when absent or null.
    func double(_ key: String) -> Double { optionalDouble(key) ?? .nan }

    /// A number from a JSON object, or nil.
    func optionalDouble(_ key: String) -> Double? {
        switch self[key] {
        case let d as Double: d
        case let i as Int: Double(i)
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }
}
