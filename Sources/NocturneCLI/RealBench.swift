import ArgumentParser
import Differencing
import Extraction
import Foundation
import Picture

/// `nocturne bench real FOLDER`: a real night with no known transient. Each
/// frame is registered to the first (WCS, then stars), subtracted, and its
/// candidates counted; all of them are false, so fewer is better.
struct RealBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "real",
        abstract: "Difference every frame of a real night against its first frame and count the candidates.")

    @Argument(help: "A folder of FITS frames of one field.")
    var folder = "../shared/data/real/lt-rise-lhs3250"

    @Option(help: "Write a PNG of the worst residuals (science | reference | difference per row).")
    var pictures: String?

    @Option(help: "How many of the worst residuals to draw.")
    var worst = 6

    func run() throws {
        WisdomCache.load()
        defer { WisdomCache.save() }
        let files = try FITSFolder.files(in: [folder])
        let exposures = try files.map { try SubtractCommand.load($0.path) }
        let frames = try orderedByDate(exposures)
        guard frames.count >= 2 else { throw CommandFailure("\(folder): need at least two frames") }
        let pipeline = DifferencePipeline()
        let reference = try pipeline.prepareReference(frames[0])
        var table = TextTable(["FRAME", "STARS", "RMS px", "RMS ″", "F_n/F_r", "SEEING px", "S_corr STD", "NORM", "CANDIDATES", "+/−"])
        var all: [(frame: String, candidate: Candidate)] = []
        for frame in frames.dropFirst() {
            let r = try pipeline.run(frame, against: reference)
            let name = URL(fileURLWithPath: frame.name).lastPathComponent
            let cands = r.extraction.candidates
            table.add([name, "\(r.registration.pairs.count)", String(format: "%.3f", r.astrometricRMSPixels),
                       String(format: "%.3f", r.astrometricRMSArcsec), String(format: "%.4f", r.fluxRatio),
                       String(format: "%.2f", r.alignedPSF.fwhm), String(format: "%.3f", r.zogy.scoreCorrectedStd),
                       String(format: "%.3f", r.zogy.scoreNormalization), "\(cands.count)",
                       "\(cands.filter { $0.isPositive }.count)/\(cands.filter { !$0.isPositive }.count)"])
            all += cands.map { (name, $0) }
        }
        print("reference: \(URL(fileURLWithPath: frames[0].name).lastPathComponent), seeing \(String(format: "%.2f", reference.prepared.psf.fwhm)) px")
        print(table.render())
        if let pictures { try drawWorst(all, to: pictures) }
    }

    private func orderedByDate(_ exposures: [Exposure]) throws -> [Exposure] {
        func date(_ e: Exposure) -> String {
            for card in e.header where card.keyword == "DATE-OBS" { if case .string(let s) = card.value { return s } }
            return e.name
        }
        return exposures.sorted { date($0) < date($1) }
    }

    private func drawWorst(_ all: [(frame: String, candidate: Candidate)], to path: String) throws {
        let chosen = all.sorted { abs($0.candidate.scorr) > abs($1.candidate.scorr) }.prefix(worst)
        var rows: [Panels] = []
        for item in chosen {
            var panels = Panels()
            panels.add(item.candidate.stamps.science, asinh: true, zoom: 3)
            panels.add(item.candidate.stamps.reference, asinh: true, zoom: 3)
            panels.add(item.candidate.stamps.difference,
                       limits: Stretch.robustLimits(item.candidate.stamps.difference, below: 8, above: 8), zoom: 3)
            rows.append(panels)
            print(String(format: "worst: %@ at (%.1f, %.1f) S_corr %.1f, flux %.0f, flags %d", item.frame,
                         item.candidate.fitsX, item.candidate.fitsY, item.candidate.scorr, item.candidate.flux,
                         item.candidate.flags.rawValue))
        }
        try Panels.stacked(rows).write(to: URL(fileURLWithPath: path))
        print("wrote \(path)")
    }
}
