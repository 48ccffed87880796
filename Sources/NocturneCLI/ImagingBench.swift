import ArgumentParser
import Differencing
import Evaluation
import Foundation
import Imaging
import Simulation
import Training

/// `nocturne bench imaging`: the imaging core on a simulated night, scored
/// against its truth: completeness by S/N, false candidates by cause,
/// astrometric offset, and the time per step and per image.
struct ImagingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imaging",
        abstract: "Quality and speed of preprocess + subtract + extract on a simulated night.")

    @Option(help: "An existing simulated night folder (science/, reference/, truth.csv, sources.csv).")
    var night: String?

    @Option(help: "Where to simulate the night when --night is not given.")
    var out = ".nocturne/bench-night"

    @Option var seed: UInt64 = 7
    @Option var fields = 3
    @Option var epochs = 8
    @Option(help: "Image side, pixels.")
    var size = 2048

    @Option(help: "Write matches.csv, missed.csv and false.csv (per-object detail) into this folder.")
    var details: String?

    func run() throws {
        WisdomCache.load()
        defer { WisdomCache.save() }
        let folder = try nightFolder()
        let truth = try NightTruth.load(folder)
        let pipeline = DifferencePipeline()
        var scores: [ImageScore] = []
        var timings: [String: [Double]] = [:]
        var context: [String: (mask: Image<MaskBits>, scorr: Image<Float>)] = [:]
        for field in truth.sources.keys.sorted() {
            let reference = try pipeline.prepareReference(
                try Exposure.load(folder.appendingPathComponent("reference/\(field)-REF.fits")))
            let sources = try NightSources.positions(truth.sources[field] ?? [], in: reference)
            for image in truth.entries.keys.filter({ $0.hasPrefix("science/\(field)-") }).sorted() {
                let science = try Exposure.load(folder.appendingPathComponent(image))
                let result = try pipeline.run(science, against: reference)
                for t in result.timings { timings[t.step, default: []].append(t.seconds) }
                if details != nil { context[image] = (result.zogy.mask, result.zogy.scoreCorrected) }
                scores.append(Scorer.score(candidates: result.extraction.candidates, image: image,
                                           truth: truth.entries[image] ?? [], sources: sources,
                                           referenceToScience: result.registration.referenceToScience,
                                           seeing: result.alignedPSF.fwhm,
                                           inFootprint: { NightSources.inFootprint($0, mask: result.zogy.mask) }))
                FileHandle.standardError.write(Data("\(image): \(result.extraction.candidates.count) candidates\n".utf8))
            }
        }
        let night = NightScore(images: scores)
        print(night.report())
        if let details {
            try night.writeDetails(to: URL(fileURLWithPath: details, isDirectory: true)) { image, position in
                guard let planes = context[image] else { return (0, .nan) }
                let x = Int(position.x.rounded()), y = Int(position.y.rounded())
                guard planes.mask.contains(x: x, y: y) else { return (255, .nan) }
                return (planes.mask[x, y].rawValue, planes.scorr[x, y])
            }
        }
        print(Self.speed(timings, images: scores.count))
    }

    private func nightFolder() throws -> URL {
        if let night { return URL(fileURLWithPath: night, isDirectory: true) }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try TrainingNights.simulate(into: folder, seed: seed, size: size, fields: fields, epochs: epochs)
        return folder
    }

    static func speed(_ timings: [String: [Double]], images: Int) -> String {
        var table = TextTable(["STEP", "MEAN s/IMAGE", "MAX s"])
        let order = ["preprocess", "register", "resample", "psf", "flux_ratio", "subtract", "extract"]
        var total = 0.0
        for step in order {
            guard let values = timings[step], !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            total += mean
            table.add([step, String(format: "%.3f", mean), String(format: "%.3f", values.max()!)])
        }
        table.add(["per image (after the reference)", String(format: "%.3f", total), ""])
        return "speed over \(images) images, single-threaded:\n" + table.render()
    }
}
