import Evaluation
import FITS
import Foundation
import Imaging
import Testing
import TestSupport
import WCS
@testable import Differencing

/// The imaging core on small simulated nights, checked physically against
/// the simulator's truth, in the manner of lsst/ip_diffim's tests.
@Suite(.serialized) struct SimulatedNightTests {
    static func night() throws -> URL {
        // Denser than the default night for statistics, but not so dense that
        // neighbouring transients' matched-filter wings add to each other.
        try SimulatedNight.folder(size: 512, fields: 1, epochs: 3, seed: 21, label: "pairs") { c in
            c.injections.transientsPerField = 30
            c.injections.movingPerField = 4
        }
    }

    static func run(_ folder: URL) throws -> [(image: String, result: DifferenceResult, score: ImageScore)] {
        let truth = try NightTruth.load(folder)
        let pipeline = DifferencePipeline(planner: .init(rigor: .estimate))
        let reference = try pipeline.prepareReference(try Exposure.load(folder.appendingPathComponent("reference/NOC-F00-REF.fits")))
        return try truth.entries.keys.filter { $0.hasPrefix("science/") }.sorted().map { image in
            let result = try pipeline.run(try Exposure.load(folder.appendingPathComponent(image)), against: reference)
            let score = Scorer.score(candidates: result.extraction.candidates, image: image,
                                     truth: truth.entries[image] ?? [], sources: [],
                                     referenceToScience: result.registration.referenceToScience,
                                     seeing: result.alignedPSF.fwhm) { p in
                let x = Int(p.x.rounded()), y = Int(p.y.rounded())
                return result.zogy.mask.contains(x: x, y: y) && result.zogy.mask[x, y].isDisjoint(with: [.edge, .noData])
            }
            return (image, result, score)
        }
    }

    @Test func noiseModelPredictsScoreAndInjectedChangesComeBack() throws {
        let runs = try Self.run(try Self.night())
        for run in runs {
            // ZOGY's own S_corr, before any local correction: unit width.
            #expect(abs(run.result.zogy.scoreCorrectedStd - 1) < 0.1, "\(run.image): S_corr std \(run.result.zogy.scoreCorrectedStd)")
            #expect(run.result.astrometricRMSPixels < 0.15, "\(run.image): astrometric rms \(run.result.astrometricRMSPixels)")
        }
        let night = NightScore(images: runs.map(\.score))
        let found = night.completeness(["transient", "supernova_like", "variable", "moving"], atLeast: 10)
        #expect(found.total >= 40)
        #expect(Double(found.found) / Double(found.total) >= 0.9, "completeness \(found)")
        #expect(night.medianOffset < 0.3, "median offset \(night.medianOffset) px")
        let pulls = night.pulls
        #expect(pulls.count >= 30)
        #expect(abs(pulls.robustWidth - 1) < 0.2, "pull width \(pulls.robustWidth)")
        #expect(abs(pulls.median) < 0.3, "pull median \(pulls.median)")
    }

    @Test func anImageMinusItselfReNoisedHoldsNothing() throws {
        let folder = try Self.night()
        let deep = try Exposure.load(folder.appendingPathComponent("reference/NOC-F00-REF.fits"))
        // Two independent noise realisations of the same sky. The deep image's
        // own noise (~70 ADU) is common to both, so the added noise (300 ADU)
        // must dominate it for the two to be "the same image, re-noised".
        func renoised(_ seed: UInt64) -> Exposure {
            var random = SeededRandom(seed: seed)
            var copy = deep
            copy.pixels = deep.pixels.map { Float(Double($0) + random.normal(mean: 0, sigma: 300)) }
            return copy
        }
        let pipeline = DifferencePipeline(planner: .init(rigor: .estimate))
        let reference = try pipeline.prepareReference(renoised(1))
        let result = try pipeline.run(renoised(2), against: reference)
        #expect(abs(result.zogy.scoreCorrectedStd - 1) < 0.1)
        // ~1.5e5 clean pixels, strongly correlated by the matched filter: the
        // Gaussian tail beyond 5σ allows a stray candidate, not a crowd.
        let candidates = result.extraction.candidates
        #expect(candidates.count <= 2, "\(candidates.map { ($0.position, $0.scorr) })")
        #expect(candidates.allSatisfy { abs($0.scorr) < 6.5 })
    }

    @Test func differenceImagesCarryTheReferenceWCS() throws {
        let folder = try Self.night()
        let pipeline = DifferencePipeline(planner: .init(rigor: .estimate))
        let reference = try pipeline.prepareReference(try Exposure.load(folder.appendingPathComponent("reference/NOC-F00-REF.fits")))
        let science = try Exposure.load(folder.appendingPathComponent("science/NOC-F00-E01.fits"))
        let result = try pipeline.run(science, against: reference)
        let out = try SharedData.temporaryDirectory("nocturne-products")
        defer { try? FileManager.default.removeItem(at: out) }
        let paths = try DifferenceProducts.write(result, reference: reference, science: science, to: out)
        for url in [paths.difference, paths.scoreCorrected] {
            let file = try FITSFile(path: url.path)
            let header = try file.header()
            let wcs = try WCSTransform(header: header.rawCards, fileName: url.path)
            for (x, y) in [(1.0, 1.0), (224.5, 100.25), (512.0, 512.0)] {
                let a = try wcs.pixelToSky(x: x, y: y), b = try reference.wcs.pixelToSky(x: x, y: y)
                #expect(abs(a.ra - b.ra) < 1e-9 && abs(a.dec - b.dec) < 1e-9)
            }
            let pixels = try file.readImage(as: Float.self)
            #expect(pixels.width == reference.width && pixels.height == reference.height)
        }
        let csv = try String(contentsOf: paths.candidates, encoding: .utf8)
        #expect(csv.hasPrefix("index,ra,dec,x,y,flux,flux_err,snr,"))
        #expect(csv.contains("fwhm,elong") && csv.contains(",flags,"))
    }
}
