import ArgumentParser
import Differencing
import Foundation
import Preprocessing

/// `nocturne reference build`: a field's deep reference from several exposures.
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Build references for fields.", subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stack aligned exposures into a deeper reference (sigma-clipped, inverse-variance weighted).",
            discussion: """
                Every exposure is registered on stars and resampled onto the grid of the target exposure (the first \
                unless --target says), scaled to its zero point, and combined. The output holds the stack (primary \
                HDU, with the target's WCS), its noise map, its depth map and its PSF.
                """)

        @Argument(help: "Exposures of one field (FITS).")
        var exposures: [String]

        @Option(help: "The stacked reference to write.")
        var out: String

        @Option(help: "Index (0-based) of the exposure whose grid and zero point the stack takes.")
        var target = 0

        func run() throws {
            guard exposures.count >= 2 else { throw CommandFailure("a stack needs at least two exposures") }
            guard exposures.indices.contains(target) else {
                throw CommandFailure("--target \(target) is not one of the \(exposures.count) exposures")
            }
            WisdomCache.load()
            defer { WisdomCache.save() }
            let loaded = try exposures.map(SubtractCommand.load)
            let stack = try ReferenceStacker.build(loaded, target: target)
            let asExposure = Exposure(name: out, pixels: stack.image, wcs: stack.wcs, gain: stack.gain, saturate: nil,
                                      exptime: loaded[target].exptime, zeroPoint: loaded[target].zeroPoint,
                                      skySigma: stack.skySigma)
            let psf = try? Preprocessor.run(asExposure.pixels, saturate: nil, gain: stack.gain,
                                            whiteNoise: stack.skySigma).psf
            try stack.write(to: out, exptime: loaded[target].exptime, zeroPoint: loaded[target].zeroPoint, psf: psf)
            var table = TextTable(["INPUT", "WEIGHT", "FLUX SCALE", "RMS (px)", "SEEING (px)"])
            for input in stack.inputs {
                table.add([URL(fileURLWithPath: input.name).lastPathComponent, String(format: "%.3g", input.weight),
                           String(format: "%.4f", input.fluxScale), String(format: "%.3f", input.registrationRMS),
                           String(format: "%.2f", input.seeing)])
            }
            print(table.render())
            print("wrote \(out): PSF FWHM \(psf.map { String(format: "%.2f px", $0.fwhm) } ?? "unmeasured")")
        }
    }
}
