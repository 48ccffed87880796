import ArgumentParser
import Database
import FFT
import FITS
import Foundation
import WCS

/// `nocturne bench foundation`: the speed of the wrapped C libraries on this
/// machine: FITS read of a 2048² float image, WCS conversions, a 2048² FFT,
/// and COPY into `candidates`.
struct FoundationBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "foundation", abstract: "FITS read, WCS conversion, FFT 2048² and COPY rows/s.")

    @Option(help: "Image side for the FITS and FFT figures, pixels.")
    var size = 2048

    @Option(help: "Rows for the COPY figure.")
    var rows = 100_000

    func run() throws {
        let clock = ContinuousClock()
        var table = TextTable(["MEASURE", "RESULT"])
        let (readTime, megabytes) = try fitsRead(clock)
        table.add(["FITS read \(size)² float32", String(format: "%.1f ms (%.0f MB/s)", ms(readTime), megabytes / seconds(readTime))])
        let (points, wcsTime) = try wcsRate(clock)
        table.add(["WCS pixel→sky, batch of \(points)", String(format: "%.2f M points/s", Double(points) / seconds(wcsTime) / 1e6)])
        let fft = try FFTBenchmark.run(size: size, repetitions: 10)
        table.add(["FFT \(size)² r2c (MEASURE plan once)", String(format: "%.1f ms forward, %.1f ms inverse; plan %.0f ms",
                                                                  ms(fft.forwardTime), ms(fft.inverseTime), ms(fft.forwardPlanTime))])
        let (copied, copyTime) = try copyRate(clock)
        table.add(["COPY into candidates", String(format: "%.0f rows/s (%d rows)", Double(copied) / seconds(copyTime), copied)])
        print(table.render())
    }

    private func fitsRead(_ clock: ContinuousClock) throws -> (Duration, Double) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bench.fits").path
        let image = Image<Float>(width: size, height: size, pixels: (0..<(size * size)).map { Float($0 % 4093) })
        try FITSFile.write(image, to: path, header: [], overwrite: true)
        var best = Duration.seconds(1_000)
        for _ in 0..<5 {
            let start = clock.now
            let file = try FITSFile(path: path)
            let pixels = try file.readImage(as: Float.self)
            best = min(best, clock.now - start)
            precondition(pixels.count == size * size)
        }
        return (best, Double(size * size * 4) / 1e6)
    }

    private func wcsRate(_ clock: ContinuousClock) throws -> (Int, Duration) {
        let wcs = try WCSTransform(TangentPlaneWCS(crpix1: 1024.5, crpix2: 1024.5, crval: SkyPosition(ra: 150, dec: 2),
                                                   pixelScale: 1, rotation: 0.3))
        let n = 1_000_000
        let xs = (0..<n).map { Double($0 % 2048) + 0.5 }, ys = (0..<n).map { Double($0 / 2048) + 0.25 }
        let start = clock.now
        let sky = try wcs.pixelToSky(xs: xs, ys: ys)
        let elapsed = clock.now - start
        precondition(sky.count == n)
        return (n, elapsed)
    }

    /// COPY inside a transaction that is rolled back: the figure includes the
    /// real constraint and index cost, and the database is left as it was.
    private func copyRate(_ clock: ContinuousClock) throws -> (Int, Duration) {
        let context = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.bench"))
        let db = context.store.connection
        try db.execute("BEGIN")
        defer { _ = try? db.execute("ROLLBACK") }
        let run = try context.store.createRun(kind: .live, codeVersion: "bench")
        let survey = try context.store.survey(named: "bench-\(UUID().uuidString)")
        let observation = try db.query(
            """
            INSERT INTO observations (run_id, survey_id, observation_key, date_obs, exptime, naxis1, naxis2,
                                      file_path, file_sha256, header)
            VALUES ($1, $2, 'bench', now(), 60, 2048, 2048, '/bench', $3, '{}') RETURNING id
            """, [run, survey, String(repeating: "0", count: 64)])[0].decode(UUID.self, "id")
        let difference = try db.query(
            "INSERT INTO difference_runs (run_id, observation_id, detection_threshold) VALUES ($1, $2, 5) RETURNING id",
            [run, observation])[0].decode(UUID.self, "id")
        let columns = ["run_id", "observation_id", "difference_run_id", "candidate_index", "x", "y", "ra", "dec",
                       "flux", "flux_err", "snr", "fwhm", "elong", "scorr", "flags"]
        let candidates = (0..<rows).lazy.map { i -> [(any PostgresEncodable)?] in
            let x = Double(i % 2048) + 0.5, y = Double(i / 2048 % 2048) + 0.5
            return [run, observation, difference, i, x, y, 150 + x / 3600, 2 + y / 3600,
                    1000.0 + Double(i % 97), 31.6, 31.6, 2.5, 1.1, 6.2, 0]
        }
        let start = clock.now
        let copied = try db.copy(into: "candidates", columns: columns, rows: candidates)
        return (copied, clock.now - start)
    }

    private func ms(_ d: Duration) -> Double { d.seconds * 1_000 }
    private func seconds(_ d: Duration) -> Double { d.seconds }
}
