import Foundation
import Pixels

extension NightScore {
    /// Writes the per-object detail behind the figures: `matches.csv`,
    /// `missed.csv` and `false.csv` in `directory`. `context` gives, per
    /// image and reference position, the mask bits and S_corr there.
    public func writeDetails(to directory: URL,
                             context: (String, PixelPoint) -> (bits: UInt8, scorr: Float)) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var matches = ["image,object_id,kind,expected_snr,delta,flux,flux_err,pull,offset,x_ref,y_ref"]
        var missed = ["image,object_id,kind,expected_snr,delta,x_ref,y_ref,mask_bits,scorr_there"]
        var falses = ["image,cause,x,y,flux,snr,scorr,fwhm,elong,flags,dipole,nneg,sumrat,mask_bits"]
        for image in images {
            for m in image.matches {
                matches.append([image.image, m.truth.objectID, m.truth.kind, f(m.truth.expectedSNR ?? .nan), f(m.truth.delta),
                                f(m.candidate.flux), f(m.candidate.fluxError), f(m.pull), f(m.offset),
                                f(m.truth.referencePosition.x), f(m.truth.referencePosition.y)].joined(separator: ","))
            }
            for e in image.missed {
                let (bits, scorr) = context(image.image, e.referencePosition)
                missed.append([image.image, e.objectID, e.kind, f(e.expectedSNR ?? .nan), f(e.delta),
                               f(e.referencePosition.x), f(e.referencePosition.y), String(bits), f(Double(scorr))]
                    .joined(separator: ","))
            }
            for (c, cause) in image.falseCandidates {
                falses.append([image.image, cause.rawValue, f(c.position.x), f(c.position.y), f(c.flux), f(c.snr), f(c.scorr),
                               f(c.fwhm), f(c.elongation), String(c.flags.rawValue), f(c.features.dipole),
                               String(c.features.nneg), f(c.features.sumrat),
                               String(context(image.image, c.position).bits)].joined(separator: ","))
            }
        }
        try (matches.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("matches.csv"), atomically: true, encoding: .utf8)
        try (missed.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("missed.csv"), atomically: true, encoding: .utf8)
        try (falses.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("false.csv"), atomically: true, encoding: .utf8)
    }

    private func f(_ v: Double) -> String { v.isFinite ? String(format: "%.3f", v) : "" }
}
