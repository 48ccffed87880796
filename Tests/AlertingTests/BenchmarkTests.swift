import Testing

@testable import Alerting

@Suite struct BenchmarkTests {
    /// Runs the benchmark small; timing is not asserted (shared, slow CI machines).
    @Test func benchmarkRuns() {
        let r = RuleBenchmark.run(rules: 100, subjects: 300)
        #expect(r.rules == 100 && r.subjects == 300 && r.evaluations == 30_000)
        #expect(r.matches > 0 && r.matches < r.evaluations)
        #expect(r.evaluationsPerSecond > 0 && r.routedPerSecond > 0 && r.parseSeconds > 0)
    }

    @Test func benchmarkRulesCoverEveryShape() throws {
        let rules = try RuleSet.parse(yaml: RuleBenchmark.yaml(rules: 100), source: "bench")
        #expect(Set(rules.map(\.fingerprint)).count == 100)
        #expect(rules.filter { $0.repeatSpec != nil }.count == 10)
    }
}
