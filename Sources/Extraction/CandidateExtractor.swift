import Imaging
import Subtraction
import WCS

/// Finds candidates in a ZOGY subtraction and measures them: the step
/// between `nocturne-difference` and the `candidates` table.
///
/// Detection runs on S_corr, where the noise is unit normal including the
/// source and astrometric noise of both images, so one threshold in σ means
/// the same everywhere. Positions and shapes come from D, fluxes from S and
/// V_S (see ``Candidate``). Pure computation on values: no I/O, no shared
/// state, safe to call from any number of tasks at once.
public enum CandidateExtractor {
    /// Extracts and measures every candidate of one subtraction.
    ///
    /// - Parameters:
    ///   - result: the subtraction; its mask is the merged mask the rejection
    ///     and `nbad` read.
    ///   - new: the aligned new image (on the reference grid) with its mask;
    ///     gives the science stamp and, with `reference`, the saturation flag.
    ///   - reference: the reference image with its mask.
    ///   - referenceStars: the reference catalogue on the reference grid,
    ///     fluxes in reference units (`distnr`, `magnr`, bright-star flag).
    ///   - referenceWCS: converts positions to RA/Dec; nil leaves them NaN.
    ///   - zeroPoint: the reference's photometric zero point (mag = zp −
    ///     2.5 log10 flux); nil leaves every magnitude NaN.
    ///   - parameters: detection and measurement settings.
    /// - Returns: the candidates in their stable order, with the peaks that
    ///   were dropped counted by cause. All images must be the same size.
    public static func extract(result: ZOGYResult, new: MaskedImage, reference: MaskedImage, referenceStars: [Star],
                               referenceWCS: WCSTransform?, zeroPoint: Double?,
                               parameters: ExtractionParameters = ExtractionParameters()) -> ExtractionOutput {
        let size = (result.scoreCorrected.width, result.scoreCorrected.height)
        precondition(size == (new.image.width, new.image.height)
                        && size == (reference.image.width, reference.image.height),
                     "new \(new.image.width)x\(new.image.height) and reference \(reference.image.width)x"
                        + "\(reference.image.height) must match the subtraction's \(size.0)x\(size.1)")
        let psfFWHM = Shape.differencePSFFWHM(result.differencePSF)
        let (peaks, rejections) = PeakDetection.find(in: result.scoreCorrected, mask: result.mask, psfFWHM: psfFWHM,
                                                     parameters: parameters)
        var output = ExtractionOutput(candidates: [], rejections: rejections, differencePSFFWHM: psfFWHM,
                                      skyConversionError: nil)
        guard !peaks.isEmpty else { return output }
        let measurement = CandidateMeasurement(
            result: result, new: new, reference: reference, referenceStars: referenceStars, zeroPoint: zeroPoint,
            psfFWHM: psfFWHM, parameters: parameters)
        output.candidates = stableOrder(peaks).enumerated().map { measurement.measure($1, index: $0) }
        if let referenceWCS {
            output.skyConversionError = assignSkyPositions(&output.candidates, wcs: referenceWCS)
        }
        return output
    }

    /// Descending |S_corr|, then row, then column. No two peaks share a
    /// pixel (S_corr cannot be above +threshold and below −threshold at
    /// once), so this is a total order and the indices never depend on the
    /// order segmentation produced.
    static func stableOrder(_ peaks: [Peak]) -> [Peak] {
        peaks.sorted { a, b in
            if a.significance != b.significance { return a.significance > b.significance }
            if a.y != b.y { return a.y < b.y }
            return a.x < b.x
        }
    }

    /// RA/Dec for every candidate in one WCSLIB call; returns the error if
    /// the whole batch failed (every ra/dec then stays NaN).
    static func assignSkyPositions(_ candidates: inout [Candidate], wcs: WCSTransform) -> WCSError? {
        guard !candidates.isEmpty else { return nil }
        do {
            let sky = try wcs.pixelToSky(arrayXs: candidates.map(\.position.x), arrayYs: candidates.map(\.position.y))
            for i in candidates.indices {
                candidates[i].ra = sky[i].ra
                candidates[i].dec = sky[i].dec
            }
            return nil
        } catch {
            return error
        }
    }
}
