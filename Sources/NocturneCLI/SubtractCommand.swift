import ArgumentParser
import Differencing
import Foundation

/// `nocturne subtract SCIENCE REFERENCE --out DIR`: one pair through
/// preprocessing, registration, ZOGY and extraction, with no database and no
/// sockets, as astronomers use HOTPANTS.
struct SubtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subtract",
        abstract: "Difference one science image against its reference (ZOGY) and list the candidates.",
        discussion: """
            Writes DIR/D.fits and DIR/Scorr.fits (on the reference's pixel grid, with its WCS), DIR/PD.fits (the \
            PSF of D) and DIR/candidates.csv (ra, dec in degrees; x, y in the reference's FITS 1-based pixels; \
            flux in reference ADU). Prints the time each step took.
            """)

    @Argument(help: "The science (new) image.")
    var science: String

    @Argument(help: "The reference image of the same field (an exposure or a stacked reference).")
    var reference: String

    @Option(help: "Folder for the products.")
    var out: String

    @Option(help: "Detection threshold on |S_corr|, in σ.")
    var threshold: Double = 5

    func run() throws {
        WisdomCache.load()
        defer { WisdomCache.save() }
        let clock = ContinuousClock()
        let start = clock.now
        let scienceExposure = try Self.load(science)
        let referenceExposure = try Self.load(reference)
        var parameters = DifferenceParameters()
        parameters.extraction.threshold = threshold
        let pipeline = DifferencePipeline(parameters: parameters)
        let referenceStart = clock.now
        let prepared = try pipeline.prepareReference(referenceExposure)
        let referenceTime = clock.now - referenceStart
        let result = try pipeline.run(scienceExposure, against: prepared)
        let paths = try DifferenceProducts.write(result, reference: prepared, science: scienceExposure,
                                                 to: URL(fileURLWithPath: out, isDirectory: true))
        print(Self.report(result, referenceSeconds: referenceTime.seconds, totalSeconds: (clock.now - start).seconds))
        print("wrote \(paths.difference.path), \(paths.scoreCorrected.path), \(paths.candidates.path)")
    }

    static func load(_ path: String) throws -> Exposure {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("\(path): no such file") }
        do {
            return try Exposure.load(URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }

    static func report(_ result: DifferenceResult, referenceSeconds: Double, totalSeconds: Double) -> String {
        var table = TextTable(["STEP", "SECONDS"])
        table.add(["reference (once per field)", String(format: "%.3f", referenceSeconds)])
        for timing in result.timings { table.add([timing.step, String(format: "%.3f", timing.seconds)]) }
        table.add(["total, with file I/O", String(format: "%.3f", totalSeconds)])
        let summary = String(
            format: """
                matched %d stars, astrometric rms %.3f px (%.3f″); flux ratio F_n/F_r %.4f ± %.4f (%d stars)
                seeing FWHM %.2f px (science, aligned to the reference grid); D std %.3f, S_corr std %.3f (ZOGY), normalised by %.3f
                %d candidates (%d positive, %d negative); %d peaks rejected by masks; %d trail(s) masked
                """,
            result.registration.pairs.count, result.astrometricRMSPixels, result.astrometricRMSArcsec,
            result.fluxRatio, result.fluxRatioScatter, result.fluxRatioStars, result.alignedPSF.fwhm,
            result.zogy.differenceStd, result.zogy.scoreCorrectedStd, result.zogy.scoreNormalization,
            result.extraction.candidates.count, result.extraction.candidates.filter(\.isPositive).count,
            result.extraction.candidates.filter { !$0.isPositive }.count, result.extraction.rejections.total,
            result.science.trails.count)
        return table.render() + "\n" + summary
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
