import Foundation
import Testing
import TestSupport
import Imaging
import Picture
@testable import Differencing

@Suite struct DebugLT {
    @Test func lt() throws {
        let frames = SharedData.ltFrames
        let sci = try Exposure.load(frames[0]), ref = try Exposure.load(frames[1])
        let pipeline = DifferencePipeline()
        let prepared = try pipeline.prepareReference(ref)
        let r = try pipeline.run(sci, against: prepared)
        let cands = r.extraction.candidates.sorted { abs($0.scorr) > abs($1.scorr) }.prefix(8)
        var panels = Panels()
        for c in cands {
            print(String(format: "cand %.1f,%.1f scorr %.1f snr %.1f fwhm %.2f dip %.2f flux %.0f distnr %.1f", c.position.x, c.position.y, c.scorr, c.snr, c.fwhm, c.features.dipole, c.flux, c.features.distnr))
        }
        for c in cands.prefix(4) {
            panels.add(c.stamps.science, asinh: true, zoom: 3)
            panels.add(c.stamps.reference, asinh: true, zoom: 3)
            let lim = Stretch.robustLimits(c.stamps.difference, below: 8, above: 8)
            panels.add(c.stamps.difference, limits: lim, zoom: 3)
        }
        try panels.png().write(to: URL(fileURLWithPath: "/tmp/lt-worst.png"))
        let alignedStars = StarDetector.detect(r.aligned.image, rms: r.aligned.variance.map { $0.squareRoot() }, mask: r.aligned.mask)
        print("science psf before resampling", r.science.psf.fwhm, "stars used", r.science.psf.starsUsed, "aligned psf stars", r.alignedPSF.starsUsed)
        print("moment fwhm science", r.science.stars.prefix(20).compactMap { $0.shape?.fwhm }.map { String(format: "%.2f", $0) })
        print("moment fwhm aligned", alignedStars.prefix(20).compactMap { $0.shape?.fwhm }.map { String(format: "%.2f", $0) })
        let redo = try PSFEstimator.estimate(r.aligned.image, stars: alignedStars, mask: r.aligned.mask)
        print("psf re-estimated on aligned from fresh detection", redo.fwhm, redo.starsUsed)
        func profile(_ p: PSFModel) -> String {
            let c = p.size / 2
            return (0...10).map { String(format: "%.4f", p.stamp[c + $0, c]) }.joined(separator: " ")
        }
        print("profile sci    ", profile(r.science.psf))
        print("profile aligned", profile(r.alignedPSF))
        print("profile ref    ", profile(prepared.prepared.psf))
        print("profile fresh  ", profile(redo))
        print("sizes", r.science.psf.size, r.alignedPSF.size, prepared.prepared.psf.size)
        print("psf sci", r.alignedPSF.fwhm, "ref", prepared.prepared.psf.fwhm, "ratio", r.fluxRatio, r.fluxRatioScatter)
    }
}
