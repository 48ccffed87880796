import Extraction
import FITS
import Foundation
import Imaging
import Subtraction

/// Writes a difference's products: `D.fits`, `Scorr.fits` and `PD.fits` on
/// the reference grid with the reference's WCS (so DS9 and astropy overlay
/// them on the sky), and `candidates.csv`.
public enum DifferenceProducts {
    /// The files written.
    public struct Paths: Sendable {
        public var difference: URL
        public var scoreCorrected: URL
        public var differencePSF: URL
        public var candidates: URL
    }

    /// Writes the products into `directory` (created if missing), replacing
    /// earlier ones. `science` and `reference` name the inputs in the headers.
    public static func write(_ result: DifferenceResult, reference: PreparedReference, science: Exposure,
                             to directory: URL) throws -> Paths {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let paths = Paths(difference: directory.appendingPathComponent("D.fits"),
                          scoreCorrected: directory.appendingPathComponent("Scorr.fits"),
                          differencePSF: directory.appendingPathComponent("PD.fits"),
                          candidates: directory.appendingPathComponent("candidates.csv"))
        let wcs = try FITSHeader(parsing: try reference.wcs.headerCards(), file: "WCS of \(reference.exposure.name)").keyValues
        let common = wcs + provenance(result, reference: reference, science: science)
        try FITSFile.write(result.zogy.difference, to: paths.difference.path,
                           header: common + [FITSKeyValue("IMAGETYP", .string("difference"), comment: "ZOGY D")],
                           overwrite: true)
        try FITSFile.write(result.zogy.scoreCorrected, to: paths.scoreCorrected.path,
                           header: common + [FITSKeyValue("IMAGETYP", .string("scorr"), comment: "ZOGY S_corr, in sigma")],
                           overwrite: true)
        try FITSFile.write(result.zogy.differencePSF.stamp, to: paths.differencePSF.path,
                           header: [FITSKeyValue("IMAGETYP", .string("psf"), comment: "ZOGY P_D, centred, sum 1")],
                           overwrite: true)
        try CandidateCSV.text(result.extraction.candidates).write(to: paths.candidates, atomically: true, encoding: .utf8)
        return paths
    }

    static func provenance(_ result: DifferenceResult, reference: PreparedReference,
                           science: Exposure) -> [FITSKeyValue] {
        provenance(result.zogy, fluxRatio: result.fluxRatio, reference: reference, scienceName: science.name,
                   astrometricRMSArcsec: result.astrometricRMSArcsec, scienceSeeing: result.alignedPSF.fwhm)
    }

    /// The header cards that say how D and S_corr were made; non-finite
    /// figures are left out. The chain's archive reads the ZOGY figures back
    /// from them.
    ///
    /// - Parameters:
    ///   - astrometricRMSArcsec: the star match rms, arcsec (NaN: left out).
    ///   - scienceSeeing: FWHM of the aligned science PSF, pixels.
    public static func provenance(_ zogy: ZOGYResult, fluxRatio: Double, reference: PreparedReference,
                                  scienceName: String, astrometricRMSArcsec: Double,
                                  scienceSeeing: Double) -> [FITSKeyValue] {
        var cards = [
            FITSKeyValue("SCIENCE", .string(URL(fileURLWithPath: scienceName).lastPathComponent), comment: "new image"),
            FITSKeyValue("REFIMAGE", .string(URL(fileURLWithPath: reference.exposure.name).lastPathComponent),
                         comment: "reference image"),
            FITSKeyValue("ZOGYFNFR", .double(fluxRatio), comment: "flux ratio F_n/F_r from matched stars"),
            FITSKeyValue("ZOGYFS", .double(zogy.fluxScale), comment: "F_S: flux = S / F_S"),
            FITSKeyValue("ZOGYFD", .double(zogy.differenceZeroPoint), comment: "F_D: zero point of D"),
            FITSKeyValue("DSTD", .double(zogy.differenceStd), comment: "robust std of D in clean pixels"),
            FITSKeyValue("SCORRSTD", .double(zogy.scoreCorrectedStd), comment: "robust std of ZOGY S_corr"),
            FITSKeyValue("SCORRNRM", .double(zogy.scoreNormalization), comment: "local rms divided out of S_corr"),
            FITSKeyValue("ASTRRMS", .double(astrometricRMSArcsec), comment: "[arcsec] star match rms"),
            FITSKeyValue("SEEINGN", .double(scienceSeeing), comment: "[pix] FWHM of the aligned science PSF"),
            FITSKeyValue("SEEINGR", .double(reference.prepared.psf.fwhm), comment: "[pix] FWHM of the reference PSF"),
        ]
        if let zp = reference.exposure.zeroPoint { cards.append(FITSKeyValue("MAGZP", .double(zp), comment: "reference zero point")) }
        return cards.filter { if case .double(let v) = $0.value { v.isFinite } else { true } }
    }
}

/// `candidates.csv`: one row per candidate; x and y are FITS 1-based pixels
/// of the reference grid; RA and Dec in degrees; flux in reference ADU.
public enum CandidateCSV {
    /// The column names, in order.
    public static let columns = [
        "index", "ra", "dec", "x", "y", "flux", "flux_err", "snr", "mag", "mag_err", "scorr", "isdiffpos",
        "fwhm", "elong", "ellipticity", "theta", "flags", "nneg", "nbad", "sumrat", "magdiff", "dipole",
        "distnr", "magnr", "edge_distance",
    ]

    /// The CSV text with a header row.
    public static func text(_ candidates: [Candidate]) -> String {
        var lines = [columns.joined(separator: ",")]
        for c in candidates {
            let f = c.features
            let values: [String] = [
                "\(c.index)", fixed(c.ra, 7), fixed(c.dec, 7), fixed(c.fitsX, 3), fixed(c.fitsY, 3), fixed(c.flux, 2),
                fixed(c.fluxError, 2), fixed(c.snr, 2), fixed(c.mag, 4), fixed(c.magError, 4), fixed(c.scorr, 2),
                c.isPositive ? "t" : "f", fixed(c.fwhm, 3), fixed(c.elongation, 3), fixed(c.ellipticity, 3),
                fixed(c.thetaDegrees, 1), "\(c.flags.rawValue)", "\(f.nneg)", "\(f.nbad)", fixed(f.sumrat, 3),
                fixed(f.magdiff, 4), fixed(f.dipole, 3), fixed(f.distnr, 2), fixed(f.magnr, 3), fixed(f.edgeDistance, 1),
            ]
            lines.append(values.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Fixed decimals, or empty for NaN/infinite (an unmeasured value).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        value.isFinite ? String(format: "%.\(decimals)f", value) : ""
    }
}
