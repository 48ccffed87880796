import FITS
import Foundation
import Imaging
import Preprocessing

extension ReferenceStack {
    /// Writes the stack as a FITS file a pipeline can use as a reference:
    /// the image in the primary HDU with the target's WCS, then the noise
    /// map (EXTNAME NOISE), the depth map (DEPTH) and the stack's own PSF
    /// measured on it (PSF). `exptime` and `zeroPoint` are the target's: the
    /// stack is in its flux units.
    public func write(to path: String, exptime: Double, zeroPoint: Double?, psf: PSFModel?) throws {
        let wcsCards = try FITSHeader(parsing: try wcs.headerCards(), file: "WCS of the stack").keyValues
        var cards = wcsCards + [
            FITSKeyValue("IMAGETYP", .string("reference"), comment: "stacked reference"),
            FITSKeyValue("EXPTIME", .double(exptime), comment: "[s] of the target; flux units are its"),
            FITSKeyValue("NCOMBINE", .int(inputs.count), comment: "exposures stacked"),
            FITSKeyValue("BUNIT", .string("ADU"), comment: "background subtracted"),
            FITSKeyValue("SKYSIG", .double(skySigma), comment: "white-equivalent sky sigma of the stack"),
        ]
        if let gain { cards.append(FITSKeyValue("GAIN", .double(gain), comment: "[e-/ADU] effective gain of the stack")) }
        if let zeroPoint { cards.append(FITSKeyValue("MAGZP", .double(zeroPoint), comment: "zero point of the target")) }
        for (k, input) in inputs.enumerated() where k < 999 {
            let name = URL(fileURLWithPath: input.name).lastPathComponent
            cards.append(FITSKeyValue(String(format: "REFIN%03d", k + 1), .string(String(name.prefix(60))),
                                      comment: String(format: "w=%.3g scale=%.4f", input.weight, input.fluxScale)))
        }
        let file = try FITSFile.create(path: path, overwrite: true)
        try file.writeImage(image, header: cards)
        try file.writeImage(noise, header: [FITSKeyValue("EXTNAME", .string("NOISE"), comment: "1-sigma per pixel")])
        try file.writeImage(depth, header: [FITSKeyValue("EXTNAME", .string("DEPTH"), comment: "exposures per pixel")])
        if let psf {
            try file.writeImage(psf.stamp, header: [FITSKeyValue("EXTNAME", .string("PSF"), comment: "centred, sum 1"),
                                                    FITSKeyValue("FWHM", .double(psf.fwhm), comment: "[pix]")])
        }
        try file.close()
    }
}
