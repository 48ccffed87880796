import Foundation
import Imaging
import Testing
@testable import Simulation

@Suite struct DeterminismTests {
    @Test func sameSeedRendersIdenticalPixelsAndTruth() throws {
        let first = try NightSimulator(configuration: Fixtures.night())
        let second = try NightSimulator(configuration: Fixtures.night())
        for exposure in [first.plan.fields[0].science[1], first.plan.fields[2].reference] {
            let a = try first.render(exposure), b = try second.render(exposure)
            #expect(a.image == b.image)
            #expect(a.truth == b.truth)
            #expect(a.header == b.header)
        }
    }

    @Test func differentSeedRendersDifferentNight() throws {
        let first = try NightSimulator(configuration: Fixtures.night(seed: 1))
        let second = try NightSimulator(configuration: Fixtures.night(seed: 2))
        let a = try first.render(first.plan.fields[0].science[0])
        let b = try second.render(second.plan.fields[0].science[0])
        #expect(a.image != b.image)
        #expect(a.truth.map(\.objectID) != b.truth.map(\.objectID) || a.truth.map(\.flux) != b.truth.map(\.flux))
        #expect(first.plan.fields[0].stars.map(\.ra) != second.plan.fields[0].stars.map(\.ra))
    }

    /// Each field draws from its own streams, so a night with more fields
    /// renders the shared fields exactly as before.
    @Test func addingAFieldLeavesTheOthersUnchanged() throws {
        let two = try NightSimulator(configuration: Fixtures.night(fields: 2))
        let three = try NightSimulator(configuration: Fixtures.night(fields: 3))
        for field in 0..<2 {
            let a = try two.render(two.plan.fields[field].science[1])
            let b = try three.render(three.plan.fields[field].science[1])
            #expect(a.image == b.image)
            #expect(a.truth == b.truth)
        }
    }

    @Test func writtenFilesAreByteIdentical() throws {
        var configuration = Fixtures.night(size: 128, fields: 2, epochs: 2)
        configuration.referenceExposures = 1
        let simulator = try NightSimulator(configuration: configuration)
        let first = try Fixtures.temporaryDirectory("sim-det-a"), second = try Fixtures.temporaryDirectory("sim-det-b")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try NightWriter(directory: first).write(simulator)
        try NightWriter(directory: second).write(try NightSimulator(configuration: configuration))
        let files = ["truth.csv", "sources.csv", "night.json"] + simulator.exposures.map(\.path)
        #expect(files.count == 3 + 2 * (1 + 1 + 2))
        for file in files {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            let b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs")
        }
    }
}
