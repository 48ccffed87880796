import Differencing
import Envelopes
import FITS
import Foundation
import Imaging
import StageRuntime
import Store

/// `nocturne-preprocess`: masks, background, PSF, star match against the
/// field's reference, and resampling onto the reference grid.
///
/// Takes the science pixels from the ingest message (or, when resuming an
/// item without one, from the observation's recorded file). Writes
/// `aligned.fits` to the archive, a `preprocess_runs` row, and sends the
/// aligned image, its variance, mask and PSF on.
public final class PreprocessWorker: StageWorker {
    public let name = "preprocess"
    public let inputStatus = ProgressStatus.ingested
    public let outputStatus = ProgressStatus.preprocessed
    let pipeline: DifferencePipeline
    let references: ReferenceCache

    /// A worker using `pipeline`'s parameters; references are prepared once
    /// per process and kept.
    public init(pipeline: DifferencePipeline) {
        self.pipeline = pipeline
        references = ReferenceCache(pipeline: pipeline)
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let started = ContinuousClock.now
        let science = try scienceExposure(item, store: context.store)
        guard let referenceID = try context.store.referenceFor(observation: item.observationID) else {
            throw StageError("\(science.name): its field has no reference with pixels yet (ingest one, or use reference_policy first_exposure)")
        }
        let reference = try references.reference(referenceID, store: context.store)
        let a = try pipeline.align(science, onto: reference)
        let wcsCards = try FITSHeader(parsing: try reference.wcs.headerCards(), file: "WCS of \(reference.exposure.name)").keyValues
        let path = try Archive(root: context.archive).writeAligned(
            a.aligned, psf: a.alignedPSF, wcsCards: wcsCards, run: item.runID, observation: item.observationID)
        let astrometricSigma = pipeline.astrometricSigma(a.registration)
        let parameters = JSONText.encode([
            "sigma": a.newSigma, "flux_ratio": a.fluxRatio, "flux_ratio_scatter": a.fluxRatioScatter,
            "flux_ratio_stars": a.fluxRatioStars, "astrometric_sigma_px": astrometricSigma,
            "astrometric_rms_arcsec": a.registration.rmsPixels * reference.wcs.pixelScale,
            "gain": science.gain ?? Double.nan, "seeing_px": a.alignedPSF.fwhm, "mask_counts": a.science.maskCounts,
            "psf_empirical": a.science.psfIsEmpirical,
        ])
        let record = PreprocessRunRecord(
            runID: item.runID, observationID: item.observationID, referenceObservationID: referenceID,
            registrationQuality: Double(a.registration.pairs.count) / Double(max(1, min(a.science.stars.count, reference.prepared.stars.count))),
            astrometricRMSPixels: a.registration.rmsPixels, stars: a.science.stars.count, matched: a.registration.pairs.count,
            seeing: a.science.psf.fwhm, backgroundLevel: Double(a.science.background.globalLevel),
            backgroundRMS: a.science.backgroundRMS, wcsInfo: JSONText.encode(["header": try reference.wcs.headerCards()]),
            psf: JSONText.encode(["fwhm_px": a.alignedPSF.fwhm, "stars": a.alignedPSF.starsUsed, "size": a.alignedPSF.size]),
            parameters: parameters, alignedPath: path.path,
            durationMS: started.millisecondsElapsed)
        let envelope = item.nextMessage(kind: .preprocessed, payload: parameters, ids: ["reference": referenceID.uuidString],
                                    frames: Frames.masked("aligned", a.aligned) + [.image("psf", a.alignedPSF.stamp)])
        return WorkResult(persist: { store in try store.savePreprocessRun(record) }, downstream: [envelope],
                          counts: ["stars": a.science.stars.count, "matched": a.registration.pairs.count])
    }

    /// The science exposure from the message, or from its file on disk.
    func scienceExposure(_ item: WorkItem, store: PipelineStore) throws -> Exposure {
        let path = try store.filePath(of: item.observationID) ?? "observation \(item.observationID)"
        if let message = item.message, let pixels = message.frame("science")?.floatImage(),
           let headerText = message.frame("header")?.string() {
            return try Exposure(name: path, pixels: pixels, header: try FITSHeader(parsing: headerText, file: path))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageError("\(path): the raw file is gone and no message carries its pixels")
        }
        return try Exposure.load(URL(fileURLWithPath: path))
    }

}
