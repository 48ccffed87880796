import Testing
import FFT

@Suite struct FFTPlannerTests {
    @Test func sameSizeIsPlannedOnce() throws {
        let planner = FFTPlanner(rigor: .estimate)
        _ = try planner.plan(width: 40, height: 30)
        #expect(planner.statistics == .init(plansCreated: 2, cacheHits: 0))
        for _ in 0..<5 { _ = try planner.plan(width: 40, height: 30) }
        #expect(planner.statistics == .init(plansCreated: 2, cacheHits: 10))
        _ = try planner.plan(width: 30, height: 40)
        #expect(planner.statistics.plansCreated == 4, "transposed size is a different plan")
    }

    @Test func twoThreadPlanRoundTrips() throws {
        let planner = FFTPlanner(rigor: .estimate, threads: 2)
        let plan = try planner.plan(width: 64, height: 64)
        let image = noiseImage(width: 64, height: 64)
        #expect(maxDifference(plan.inverse(plan.forward(image)), image) < 1e-5)
        #expect(planner.statistics.plansCreated == 2)
    }

    @Test func concurrentPlanRequestsPlanOnce() async throws {
        let planner = FFTPlanner(rigor: .estimate)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try planner.plan(width: 24, height: 18) } }
            try await group.waitForAll()
        }
        #expect(planner.statistics.plansCreated == 2)
    }

    @Test func concurrentTransformsMatchTheSerialResult() async throws {
        let plan = try FFTPlanner(rigor: .estimate).plan(width: 96, height: 80)
        let image = noiseImage(width: 96, height: 80, seed: 5)
        let spectrum = plan.forward(image)
        let back = plan.inverse(spectrum)
        let results = try await withThrowingTaskGroup(of: (Spectrum, Image<Float>).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last = (plan.forward(image), plan.inverse(spectrum))
                    for _ in 0..<10 { last = (plan.forward(image), plan.inverse(spectrum)) }
                    return last
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for (forward, inverse) in results {
            #expect(forward == spectrum)
            #expect(inverse == back)
        }
    }

    @Test func invalidSizeThrows() {
        #expect(throws: FFTError.self) { try FFTPlanner(rigor: .estimate).plan(width: 0, height: 4) }
    }
}
