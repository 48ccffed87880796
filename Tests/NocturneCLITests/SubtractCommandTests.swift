import Foundation
import Testing
import TestSupport

/// `nocturne subtract` and `nocturne reference build`, run as astronomers
/// run them, on a small simulated night.
@Suite(.serialized) struct SubtractCommandTests {
    static func night() throws -> URL {
        try SimulatedNight.folder(size: 320, fields: 1, epochs: 3, seed: 5, label: "cli") { c in
            c.referenceExposures = 3
        }
    }

    @Test func subtractWritesTheProductsAndTimesEachStep() throws {
        let folder = try Self.night()
        let out = try SharedData.temporaryDirectory("nocturne-sub")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CommandRunner.run("nocturne", [
            "subtract", folder.appendingPathComponent("science/NOC-F00-E01.fits").path,
            folder.appendingPathComponent("reference/NOC-F00-REF.fits").path, "--out", out.path,
        ], workingDirectory: out)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for step in ["preprocess", "register", "resample", "subtract", "extract"] { #expect(result.stdout.contains(step)) }
        #expect(result.stdout.contains("astrometric rms"))
        for name in ["D.fits", "Scorr.fits", "PD.fits", "candidates.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) missing")
        }
        let csv = try String(contentsOf: out.appendingPathComponent("candidates.csv"), encoding: .utf8)
        let header = csv.split(separator: "\n").first.map(String.init) ?? ""
        for column in ["ra", "dec", "x", "y", "flux", "flux_err", "snr", "fwhm", "elong", "flags"] {
            #expect(header.split(separator: ",").contains(Substring(column)), "column \(column)")
        }
    }

    @Test func badInputsAreNamed() throws {
        let folder = try Self.night()
        let out = try SharedData.temporaryDirectory("nocturne-sub-bad")
        defer { try? FileManager.default.removeItem(at: out) }
        let reference = folder.appendingPathComponent("reference/NOC-F00-REF.fits").path
        let missing = try CommandRunner.run("nocturne", ["subtract", "/nonexistent/sci.fits", reference, "--out", out.path],
                                            workingDirectory: out)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/sci.fits"))
        let text = out.appendingPathComponent("notes.fits")
        try Data("not a FITS file".utf8).write(to: text)
        let notFITS = try CommandRunner.run("nocturne", ["subtract", text.path, reference, "--out", out.path],
                                            workingDirectory: out)
        #expect(notFITS.status != 0)
        #expect(notFITS.stderr.contains("notes.fits"))
    }

    @Test func aStackedReferenceIsDeeperAndSubtracts() throws {
        let folder = try Self.night()
        let out = try SharedData.temporaryDirectory("nocturne-stack")
        defer { try? FileManager.default.removeItem(at: out) }
        let inputs = (1...3).map { folder.appendingPathComponent("reference/NOC-F00-REF0\($0).fits").path }
        let stack = out.appendingPathComponent("stack.fits").path
        let built = try CommandRunner.run("nocturne", ["reference", "build"] + inputs + ["--out", stack], workingDirectory: out)
        #expect(built.status == 0, "stderr: \(built.stderr)")
        #expect(built.stdout.contains("PSF FWHM"))
        let subtracted = try CommandRunner.run("nocturne", [
            "subtract", folder.appendingPathComponent("science/NOC-F00-E02.fits").path, stack, "--out", out.path,
        ], workingDirectory: out)
        #expect(subtracted.status == 0, "stderr: \(subtracted.stderr)")
    }

    /// Where astropy is installed, it reads the difference image's WCS as
    /// WCSLIB does: the same sky position at the same pixels.
    @Test(.enabled(if: Self.astropyAvailable, "needs python3 with astropy"))
    func astropyReadsTheSameWCS() throws {
        let folder = try Self.night()
        let out = try SharedData.temporaryDirectory("nocturne-astropy")
        defer { try? FileManager.default.removeItem(at: out) }
        let reference = folder.appendingPathComponent("reference/NOC-F00-REF.fits").path
        let result = try CommandRunner.run("nocturne", [
            "subtract", folder.appendingPathComponent("science/NOC-F00-E01.fits").path, reference, "--out", out.path,
        ], workingDirectory: out)
        #expect(result.status == 0)
        let script = """
            import sys
            from astropy.io import fits
            from astropy.wcs import WCS
            a = WCS(fits.getheader(sys.argv[1]))
            b = WCS(fits.getheader(sys.argv[2]))
            for x, y in [(1, 1), (160.5, 33.25), (320, 320)]:
                ra1, de1 = a.all_pix2world(x, y, 1)
                ra2, de2 = b.all_pix2world(x, y, 1)
                assert abs(ra1 - ra2) < 1e-9 and abs(de1 - de2) < 1e-9, (x, y, ra1, ra2, de1, de2)
            assert fits.getdata(sys.argv[1]).shape == (320, 320)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, out.appendingPathComponent("D.fits").path, reference]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }

    static var astropyAvailable: Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import astropy"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }
}
