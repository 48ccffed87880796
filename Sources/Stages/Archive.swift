import Differencing
import FITS
import Foundation
import Imaging
import Subtraction

/// The archive: products written per run and observation, for people (DS9,
/// astropy) and for a stage that resumes an item without its message.
///
/// Layout: `<archive>/<run>/<observation>/aligned.fits` (the science image
/// on the reference grid: primary HDU with the reference's WCS, then
/// VARIANCE, MASK and PSF), `D.fits`, `Scorr.fits` (with the reference's
/// WCS), and `zogy.fits` (S, V_S, MASK, PD: what extraction needs).
struct Archive: Sendable {
    let root: URL

    func folder(run: UUID, observation: UUID) -> URL {
        root.appendingPathComponent(run.uuidString.lowercased(), isDirectory: true)
            .appendingPathComponent(observation.uuidString.lowercased(), isDirectory: true)
    }

    /// Writes the aligned image and its planes; returns the path.
    func writeAligned(_ aligned: MaskedImage, psf: PSFModel, wcsCards: [FITSKeyValue], run: UUID,
                      observation: UUID) throws -> URL {
        let url = try prepare(run: run, observation: observation).appendingPathComponent("aligned.fits")
        let file = try FITSFile.create(path: url.path, overwrite: true)
        try file.writeImage(aligned.image, header: wcsCards + [FITSKeyValue("IMAGETYP", .string("aligned"))])
        try file.writeImage(aligned.variance, header: [FITSKeyValue("EXTNAME", .string("VARIANCE"))])
        try file.writeImage(aligned.mask.map { Int16($0.rawValue) }, header: [FITSKeyValue("EXTNAME", .string("MASK"))])
        try file.writeImage(psf.stamp, header: [FITSKeyValue("EXTNAME", .string("PSF"))])
        try file.close()
        return url
    }

    /// Reads back what ``writeAligned`` wrote.
    func readAligned(_ url: URL) throws -> (MaskedImage, PSFModel) {
        let file = try FITSFile(path: url.path)
        let image = try file.readImage(as: Float.self, hdu: 0)
        let variance = try file.readImage(as: Float.self, hdu: 1)
        let mask = try file.readImage(as: Int16.self, hdu: 2).map { MaskBits(rawValue: UInt8(truncatingIfNeeded: $0)) }
        let psf = try file.readImage(as: Float.self, hdu: 3)
        return (MaskedImage(image: image, variance: variance, mask: mask), PSFModel(stamp: psf, starsUsed: 0))
    }

    /// Writes D and S_corr (for people) and the planes extraction needs.
    func writeSubtraction(_ z: ZOGYResult, wcsCards: [FITSKeyValue], provenance: [FITSKeyValue], run: UUID,
                          observation: UUID) throws -> (difference: URL, scorr: URL, zogy: URL) {
        let folder = try prepare(run: run, observation: observation)
        let d = folder.appendingPathComponent("D.fits"), s = folder.appendingPathComponent("Scorr.fits")
        let planes = folder.appendingPathComponent("zogy.fits")
        try FITSFile.write(z.difference, to: d.path, header: wcsCards + provenance + [FITSKeyValue("IMAGETYP", .string("difference"))],
                           overwrite: true)
        try FITSFile.write(z.scoreCorrected, to: s.path, header: wcsCards + provenance + [FITSKeyValue("IMAGETYP", .string("scorr"))],
                           overwrite: true)
        let file = try FITSFile.create(path: planes.path, overwrite: true)
        try file.writeImage(z.score, header: provenance)
        try file.writeImage(z.scoreVariance, header: [FITSKeyValue("EXTNAME", .string("VARIANCE"))])
        try file.writeImage(z.mask.map { Int16($0.rawValue) }, header: [FITSKeyValue("EXTNAME", .string("MASK"))])
        try file.writeImage(z.differencePSF.stamp, header: [FITSKeyValue("EXTNAME", .string("PD"))])
        try file.close()
        return (d, s, planes)
    }

    /// Reads back a subtraction from its products.
    func readSubtraction(difference: URL, scorr: URL, zogy: URL) throws -> ZOGYResult {
        let planes = try FITSFile(path: zogy.path)
        let header = try planes.header(hdu: 0)
        let score = try planes.readImage(as: Float.self, hdu: 0)
        let variance = try planes.readImage(as: Float.self, hdu: 1)
        let mask = try planes.readImage(as: Int16.self, hdu: 2).map { MaskBits(rawValue: UInt8(truncatingIfNeeded: $0)) }
        let pd = try planes.readImage(as: Float.self, hdu: 3)
        let d = try FITSFile(path: difference.path).readImage(as: Float.self)
        let s = try FITSFile(path: scorr.path).readImage(as: Float.self)
        return ZOGYResult(difference: d, differencePSF: PSFModel(stamp: pd, starsUsed: 0), score: score,
                          scoreVariance: variance, scoreCorrected: s, scoreNormalization: header.double("SCORRNRM") ?? 1,
                          fluxScale: header.double("ZOGYFS") ?? .nan, differenceZeroPoint: header.double("ZOGYFD") ?? .nan,
                          mask: mask, differenceStd: header.double("DSTD") ?? .nan,
                          scoreCorrectedStd: header.double("SCORRSTD") ?? .nan)
    }

    private func prepare(run: UUID, observation: UUID) throws -> URL {
        let folder = folder(run: run, observation: observation)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
