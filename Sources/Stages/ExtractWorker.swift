import Checksum
import Differencing
import Envelopes
import Extraction
import Foundation
import Imaging
import StageRuntime
import Store
import Subtraction

/// `nocturne-extract`: finds and measures candidates in S_corr, cuts the
/// science, reference and difference stamps, and writes `candidates`.
///
/// Candidate ids are derived from (run, observation, index), so redoing an
/// extraction writes the same ids: a redelivered message changes nothing,
/// and two runs of the same night can be compared row by row.
public final class ExtractWorker: StageWorker {
    public let name = "extract"
    public let inputStatus = ProgressStatus.differenced
    public let outputStatus = ProgressStatus.extracted
    let pipeline: DifferencePipeline
    let references: ReferenceCache

    /// A worker with `pipeline`'s extraction parameters.
    public init(pipeline: DifferencePipeline) {
        self.pipeline = pipeline
        references = ReferenceCache(pipeline: pipeline)
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        guard let row = try context.store.differenceRun(runID: item.runID, observationID: item.observationID),
              let referenceID = row.reference else {
            throw StageError("observation \(item.observationID) has no difference_runs row in run \(item.runID)")
        }
        let reference = try references.reference(referenceID, store: context.store)
        let (zogy, aligned) = try Self.inputs(item, row: row, archive: Archive(root: context.archive))
        let output = pipeline.extract(zogy, aligned: aligned, reference: reference)
        if let error = output.skyConversionError { context.logger.warning("some candidates have no sky position: \(error)") }
        let records = output.candidates.compactMap { Self.record($0, run: item.runID, observation: item.observationID) }
        let (runID, observationID, differenceRunID) = (item.runID, item.observationID, row.id)
        let payload = JSONText.encode(["candidates": records.count, "rejections": "\(output.rejections)",
                                       "difference_psf_fwhm_px": output.differencePSFFWHM])
        let envelope = item.nextMessage(kind: .extracted, payload: payload,
                                                ids: ["difference_run": differenceRunID.uuidString], frames: [])
        return WorkResult(persist: { store in
            try store.replaceCandidates(records, differenceRunID: differenceRunID, runID: runID, observationID: observationID)
        }, downstream: [envelope], counts: ["candidates": records.count])
    }

    /// The subtraction and the aligned image, from the message or the archive.
    static func inputs(_ item: WorkItem, row: StoredProduct, archive: Archive) throws -> (ZOGYResult, MaskedImage) {
        let figures = JSONText.decode(row.parameters)
        if let m = item.message, let aligned = Frames.masked("aligned", in: m), let mask = Frames.mask("zogy.mask", in: m) {
            let zogy = ZOGYResult(
                difference: try Frames.require("D", in: m),
                differencePSF: PSFModel(stamp: try Frames.require("PD", in: m), starsUsed: 0),
                score: try Frames.require("S", in: m), scoreVariance: try Frames.require("S.variance", in: m),
                scoreCorrected: try Frames.require("Scorr", in: m),
                scoreNormalization: figures.optionalDouble("score_normalization") ?? 1,
                fluxScale: figures.double("flux_scale"), differenceZeroPoint: figures.double("difference_zero_point"),
                mask: mask, differenceStd: .nan, scoreCorrectedStd: .nan)
            return (zogy, aligned)
        }
        let paths = ["difference_path", "zogy_path", "aligned_path"].map { figures[$0] as? String ?? "" }
        guard let scorr = row.path, ([scorr] + paths).allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            throw StageError("observation \(item.observationID): no message and the archive lacks its products (\(row.path ?? "none"))")
        }
        let zogy = try archive.readSubtraction(difference: URL(fileURLWithPath: paths[0]), scorr: URL(fileURLWithPath: scorr),
                                               zogy: URL(fileURLWithPath: paths[1]))
        let (aligned, _) = try archive.readAligned(URL(fileURLWithPath: paths[2]))
        return (zogy, aligned)
    }

    /// The row for one candidate; nil when it has no sky position (RA/Dec
    /// are constrained in the schema; such a candidate is logged, not stored).
    static func record(_ c: Candidate, run: UUID, observation: UUID) -> CandidateRecord? {
        guard c.ra.isFinite, c.dec.isFinite else { return nil }
        let f = c.features
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        let features = JSONText.encode([
            "nneg": f.nneg, "nbad": f.nbad, "sumrat": f.sumrat, "magdiff": f.magdiff, "elong": f.elong,
            "scorr": f.scorr, "dipole": f.dipole, "distnr": f.distnr, "magnr": f.magnr, "edge_distance": f.edgeDistance,
            "aimagerat": f.aimagerat, "bimagerat": f.bimagerat, "fwhm_ratio": f.fwhmRatio, "sizenr": f.sizenr,
        ])
        let stamps = c.stamps
        func bytes(_ image: Image<Float>) -> Data { image.pixels.withUnsafeBufferPointer { Data(buffer: $0) } }
        return CandidateRecord(
            id: candidateID(run: run, observation: observation, index: c.index), candidateIndex: c.index,
            x: c.fitsX, y: c.fitsY, ra: c.ra.truncatingRemainder(dividingBy: 360), dec: c.dec, flux: c.flux,
            fluxError: c.fluxError, snr: c.snr, mag: finite(c.mag), magError: finite(c.magError),
            fwhm: finite(c.fwhm).flatMap { $0 > 0 ? $0 : nil }, elongation: finite(c.elongation).map { max($0, 1) },
            ellipticity: finite(c.ellipticity).map { min(max($0, 0), 1) },
            thetaDegrees: finite(c.thetaDegrees).map { min(max($0, -90), 90) }, scorr: c.scorr, isPositive: c.isPositive,
            flags: c.flags.rawValue, nneg: f.nneg, nbad: f.nbad, sumrat: finite(f.sumrat), magdiff: finite(f.magdiff),
            dipole: finite(f.dipole), distnr: finite(f.distnr), magnr: finite(f.magnr), features: features,
            stampSize: stamps.science.width, stampScience: bytes(stamps.science), stampReference: bytes(stamps.reference),
            stampDifference: bytes(stamps.difference))
    }

    /// The candidate's stable id.
    static func candidateID(run: UUID, observation: UUID, index: Int) -> UUID {
        StableID.make("\(run.uuidString)/\(observation.uuidString)/\(index)".lowercased())
    }
}

/// Ids derived from natural keys, so that redoing work (a redelivery, a
/// replay compared row by row) writes the same ids.
enum StableID {
    /// The first 16 bytes of SHA-256 of `key`, with the version nibble set to
    /// 8 (RFC 9562 custom) and the RFC variant, so it is a valid UUID.
    static func make(_ key: String) -> UUID {
        var hash = SHA256()
        hash.update(Array(key.utf8))
        let hex = Array(hash.hexDigest())
        var bytes = (0..<16).map { UInt8(String(hex[2 * $0...2 * $0 + 1]), radix: 16)! }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
