import Foundation
import Testing
import FFT

@Suite struct FFTWisdomTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("nocturne-\(UUID().uuidString)-\(name)").path
    }

    /// 22×14 is used by no other test, so parallel tests cannot add wisdom for
    /// it between `forget()` and the wisdom-only check.
    @Test func exportedWisdomPlansAfterForgetting() throws {
        let path = temporaryPath("wisdom")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try FFTPlanner(rigor: .measure).plan(width: 22, height: 14)
        try FFTWisdom.save(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("fftw"))

        FFTWisdom.forget()
        let error = #expect(throws: FFTError.self) {
            try FFTPlanner(rigor: .wisdomOnly).plan(width: 22, height: 14)
        }
        #expect(error?.isMissingWisdom == true)

        try FFTWisdom.load(from: path)
        let plan = try FFTPlanner(rigor: .wisdomOnly).plan(width: 22, height: 14)
        let image = noiseImage(width: 22, height: 14)
        #expect(maxDifference(plan.inverse(plan.forward(image)), image) < 1e-5)
    }

    @Test func missingFileErrorNamesTheFile() {
        let path = temporaryPath("absent/wisdom")
        let error = #expect(throws: FFTError.self) { try FFTWisdom.load(from: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("No such file") == true)
    }

    @Test func garbageFileIsRejected() throws {
        let path = temporaryPath("garbage")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "not wisdom".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: FFTError.self) { try FFTWisdom.load(from: path) }
        #expect(error?.description.contains(path) == true)
    }

    @Test func unwritablePathErrorNamesTheFile() {
        let path = temporaryPath("absent/wisdom")
        let error = #expect(throws: FFTError.self) { try FFTWisdom.save(to: path) }
        #expect(error?.description.contains(path) == true)
    }
}
