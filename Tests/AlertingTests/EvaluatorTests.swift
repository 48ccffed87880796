import Foundation
import Testing

@testable import Alerting

@Suite struct EvaluatorTests {
    let none = InMemoryMatchHistory()

    func hits(_ when: String, _ s: AlertSubject) throws -> Bool {
        try makeRule(when: when).matches(s, history: none)
    }

    @Test func numberComparisons() throws {
        #expect(try hits("{snr: {gte: 10}}", candidate(snr: 10)))
        #expect(try !hits("{snr: {gte: 10}}", candidate(snr: 9.99)))
        #expect(try hits("{snr: {gt: 10}}", candidate(snr: 10.01)))
        #expect(try !hits("{snr: {gt: 10}}", candidate(snr: 10)))
        #expect(try hits("{snr: {lt: 10}}", candidate(snr: 9)))
        #expect(try hits("{snr: {lte: 10}}", candidate(snr: 10)))
        #expect(try hits("{snr: {eq: 12}}", candidate(snr: 12)))
        #expect(try hits("{snr: {ne: 12}}", candidate(snr: 13)))
        #expect(try hits("{snr: {gte: 5, lt: 10}}", candidate(snr: 7)))
        #expect(try !hits("{snr: {gte: 5, lt: 10}}", candidate(snr: 10)))
        #expect(try hits("{snr: {in: [1, 12, 30]}}", candidate(snr: 12)))
        #expect(try hits("{snr: {not_in: [1, 30]}}", candidate(snr: 12)))
        #expect(try hits("{candidate_count: {gt: 500}}", dataQuality(count: 900)))
    }

    @Test func missingFieldsDoNotMatchExceptExistsFalse() throws {
        let s = candidate(snr: nil)
        for when in [
            "{snr: {gte: 0}}", "{snr: {ne: 5}}", "{snr: {not_in: [5]}}", "{snr: {lt: 100}}", "{snr: {exists: true}}",
        ] {
            #expect(try !hits(when, s), "\(when)")
        }
        #expect(try hits("{snr: {exists: false}}", s))
        #expect(try hits("{not: {snr: {eq: 5}}}", s), "not of a failed leaf is true")
        #expect(try !hits("{type: {ne: moving}}", candidate(type: nil)))
        #expect(try !hits("{type: {not_in: [moving, artifact, unknown, variable, transient]}}", candidate(type: nil)))
        #expect(try !hits("{severity: {at_most: critical}}", candidate(severity: nil)))
        #expect(try hits("{severity: {exists: false}}", candidate(severity: nil)))
    }

    @Test func severityIsOrdered() throws {
        let atLeastHigh = try makeRule(when: "{severity: {at_least: high}}")
        let results = ["low", "medium", "high", "critical", "bogus"].map {
            atLeastHigh.matches(candidate(severity: $0), history: none)
        }
        #expect(results == [false, false, true, true, false])
        let atMostMedium = try makeRule(when: "{severity: {at_most: medium}}")
        #expect(
            ["low", "medium", "high", "critical"].map { atMostMedium.matches(candidate(severity: $0), history: none) }
                == [true, true, false, false])
        #expect(try hits("{severity: high}", candidate(severity: "high")))
        #expect(try hits("{severity: {ne: high}}", candidate(severity: "low")))
        #expect(try !hits("{severity: {ne: high}}", candidate(severity: "high")))
        #expect(try hits("{severity: {in: [low, critical]}}", candidate(severity: "critical")))
        #expect(try !hits("{severity: {not_in: [low, critical]}}", candidate(severity: "critical")))
        #expect(AlertSeverity.low < .medium && AlertSeverity.high < .critical)
    }

    @Test func stringsAndBools() throws {
        #expect(try hits("{type: transient}", candidate(type: "transient")))
        #expect(try hits("{type: [variable, transient]}", candidate(type: "transient")))
        #expect(try !hits("{type: {in: [variable, moving]}}", candidate(type: "transient")))
        #expect(try hits("{type: {not_in: [variable, moving]}}", candidate(type: "transient")))
        // More than four values take the set path.
        let many = "[variable, moving, artifact, unknown, supernova_like]"
        #expect(try !hits("{type: {in: \(many)}}", candidate(type: "transient")))
        #expect(try hits("{type: {not_in: \(many)}}", candidate(type: "transient")))
        #expect(try hits("{type: {in: \(many)}}", candidate(type: "moving")))
        #expect(try hits("{field: {eq: NOC-F01}}", candidate(field: "NOC-F01")))
        #expect(try hits("{filter: {ne: g}}", candidate(filter: "r")))
        #expect(try hits("{kind: candidate, is_detection: true}", candidate()))
        #expect(try !hits("{is_anomaly: {ne: true}}", candidate(severity: "high")))
        #expect(try hits("{is_anomaly: false}", candidate(severity: nil)))
        #expect(try hits("{kind: data_quality}", dataQuality()))
    }

    @Test func nestingOfAllAnyNot() throws {
        let when = """
            {all: [{any: [{type: supernova_like}, {all: [{type: transient}, {snr: {gte: 10}}]}]},
                   {not: {any: [{field: NOC-F02}, {filter: g}]}}, {not: {not: {confidence: {gt: 0.5}}}}]}
            """
        let rule = try makeRule(when: when)
        #expect(rule.matches(candidate(type: "transient", snr: 12), history: none))
        #expect(!rule.matches(candidate(type: "transient", snr: 8), history: none))
        #expect(rule.matches(candidate(type: "supernova_like", snr: 8), history: none))
        #expect(!rule.matches(candidate(type: "transient", field: "NOC-F02"), history: none))
        #expect(!rule.matches(candidate(type: "transient", filter: "g"), history: none))
        #expect(!rule.matches(candidate(type: "transient", confidence: 0.4), history: none))
        #expect(
            rule.matches(candidate(type: "transient", field: nil), history: none), "not(field eq) holds without a field"
        )
    }

    @Test func coneAcrossRAZeroAndNearThePole() throws {
        let wrap = try makeRule(when: "{region: {cone: {ra: 359.999, dec: 0, radius_arcsec: 10}}}")
        #expect(wrap.matches(candidate(ra: 0.001, dec: 0), history: none))  // 7.2″ away across RA 0
        #expect(!wrap.matches(candidate(ra: 0.003, dec: 0), history: none))  // 14.4″
        #expect(wrap.matches(candidate(ra: 359.998, dec: 0), history: none))
        #expect(!wrap.matches(candidate(ra: nil, dec: nil), history: none))
        let pole = try makeRule(when: "{region: {cone: {ra: 0, dec: 89.999, radius_arcsec: 10}}}")
        #expect(pole.matches(candidate(ra: 180, dec: 89.9995), history: none))  // 5.4″ over the pole
        #expect(pole.matches(candidate(ra: 90, dec: 89.999), history: none))  // 90° of RA is only ~5.1″ here
        #expect(!pole.matches(candidate(ra: 180, dec: 89.998), history: none))  // 10.8″
        let sep = Sky.separationArcsec(ra1: 0, dec1: 89.999, ra2: 90, dec2: 89.999)
        #expect(abs(sep - 5.09) < 0.01)
        let tight = try makeRule(when: "{region: {cone: {ra: 0, dec: 89.999, radius_arcsec: 5}}}")
        #expect(!tight.matches(candidate(ra: 90, dec: 89.999), history: none))
    }

    @Test func separationIsAccurate() {
        #expect(abs(Sky.separationArcsec(ra1: 10, dec1: 0, ra2: 10, dec2: 1) - 3600) < 1e-6)
        #expect(abs(Sky.separationArcsec(ra1: 0, dec1: 0, ra2: 180, dec2: 0) - 648_000) < 1e-6)
        #expect(
            abs(
                Sky.separationArcsec(ra1: 359.9999, dec1: 30, ra2: 0.0001, dec2: 30) - 0.0002 * 3600
                    * cos(Double.pi / 6)) < 1e-6)
    }

    @Test func watchlistIncludingWrapAndPole() throws {
        let when = """
            {region: {watchlist: [{ra: 10, dec: -5, radius_arcsec: 5, name: SN2026abc},
                                  {ra: 359.9995, dec: 1, radius_arcsec: 3, name: wrap},
                                  {ra: 45, dec: -89.9999, radius_arcsec: 2, name: south}]}}
            """
        let rule = try makeRule(when: when)
        #expect(rule.matches(candidate(ra: 10.001, dec: -5), history: none))
        #expect(!rule.matches(candidate(ra: 10.002, dec: -5), history: none))  // 7.2″
        #expect(rule.matches(candidate(ra: 0.0002, dec: 1), history: none))  // 2.5″ across RA 0
        #expect(rule.matches(candidate(ra: 225, dec: -89.9997), history: none))  // 1.4″ over the south pole
        #expect(!rule.matches(candidate(ra: 200, dec: 20), history: none))
    }

    @Test func largeWatchlistAgreesWithBruteForce() throws {
        var rng = SplitMix64(seed: 7)
        var entries: [String] = []
        var cones: [SkyCone] = []
        for i in 0..<400 {
            let (ra, dec, r) = (rng.unit() * 360, rng.unit() * 180 - 90, 1 + rng.unit() * 3600)
            entries.append("{ra: \(ra), dec: \(dec), radius_arcsec: \(r), name: o\(i)}")
            cones.append(try SkyCone(ra: ra, dec: dec, radiusArcsec: r))
        }
        let rule = try makeRule(when: "{region: {watchlist: [\(entries.joined(separator: ", "))]}}")
        for _ in 0..<2000 {
            // Half the probes sit near an entry, so both outcomes are exercised.
            let c = cones[Int(rng.unit() * 400)]
            let near = rng.unit() < 0.5
            let ra = near ? Sky.normalizedRA(c.ra + (rng.unit() - 0.5) * 2) : rng.unit() * 360
            let dec = near ? max(-90, min(90, c.dec + (rng.unit() - 0.5))) : rng.unit() * 180 - 90
            let brute = cones.contains {
                Sky.separationArcsec(ra1: $0.ra, dec1: $0.dec, ra2: ra, dec2: dec) <= $0.radiusArcsec
            }
            #expect(rule.matches(candidate(ra: ra, dec: dec), history: none) == brute)
        }
    }

    static let repeatRule = "repeat: {count: 2, within_minutes: 30, radius_arcsec: 2}"

    @Test func repeatFiresOnTheSecondMatchWithinTheWindow() throws {
        let rule = try makeRule(when: "{type: transient}", Self.repeatRule)
        let history = InMemoryMatchHistory()
        #expect(!rule.matches(candidate("a", at: 0), history: history))
        #expect(rule.matches(candidate("b", at: 600, dec: north(2, arcsec: 1)), history: history))
        // Replaying the first subject does not count it twice.
        let solo = InMemoryMatchHistory()
        #expect(!rule.matches(candidate("a", at: 0), history: solo))
        #expect(!rule.matches(candidate("a", at: 0), history: solo))
    }

    @Test func repeatIgnoresOldAndDistantMatches() throws {
        let rule = try makeRule(when: "{type: transient}", Self.repeatRule)
        let history = InMemoryMatchHistory()
        #expect(!rule.matches(candidate("a", at: 0), history: history))
        #expect(!rule.matches(candidate("far", at: 300, dec: north(2, arcsec: 3)), history: history))
        #expect(!rule.matches(candidate("late", at: 40 * 60), history: history))  // first is 40 min old
        #expect(rule.matches(candidate("next", at: 41 * 60), history: history))  // "late" is 1 min old
        // Non-matching subjects are not recorded; no position cannot repeat.
        #expect(!rule.matches(candidate("x", at: 100, type: "moving"), history: history))
        #expect(!rule.matches(candidate("y", at: 100, ra: nil, dec: nil), history: history))
        #expect(
            history.count(rule: "t", ra: 150, dec: 2, radiusArcsec: 1, since: t0, until: t0.addingTimeInterval(3600))
                == 3)
        history.prune(before: t0.addingTimeInterval(30 * 60))
        #expect(history.count == 2)
    }

    @Test func historyCountsAcrossRAZeroAndPole() {
        let h = InMemoryMatchHistory(cellArcsec: 10)
        h.record(rule: "r", subjectID: "1", ra: 359.9999, dec: 0, time: t0)
        h.record(rule: "r", subjectID: "2", ra: 0.0001, dec: 0, time: t0)
        h.record(rule: "r", subjectID: "3", ra: 0, dec: 89.99999, time: t0)
        h.record(rule: "r", subjectID: "4", ra: 180, dec: 89.99999, time: t0)
        let end = t0.addingTimeInterval(1)
        #expect(h.count(rule: "r", ra: 0, dec: 0, radiusArcsec: 1, since: t0, until: end) == 2)
        #expect(h.count(rule: "r", ra: 270, dec: 90, radiusArcsec: 0.1, since: t0, until: end) == 2)
        #expect(h.count(rule: "other", ra: 0, dec: 0, radiusArcsec: 1, since: t0, until: end) == 0)
        #expect(h.count(rule: "r", ra: 0, dec: 0, radiusArcsec: 648_000, since: t0, until: end) == 4)
    }

    @Test func historyGridAgreesWithBruteForce() {
        var rng = SplitMix64(seed: 11)
        let h = InMemoryMatchHistory()
        var points: [(ra: Double, dec: Double)] = []
        for i in 0..<3000 {
            // A third cluster near the north pole and around RA 0, where grids go wrong.
            let p =
                switch i % 3 {
                case 0: (ra: rng.unit() * 360, dec: 89.9 + rng.unit() * 0.1)
                case 1: (ra: Sky.normalizedRA(rng.unit() * 0.2 - 0.1), dec: rng.unit() * 0.2 - 0.1)
                default: (ra: rng.unit() * 360, dec: asin(rng.unit() * 2 - 1) * 180 / .pi)
                }
            points.append(p)
            h.record(rule: "r", subjectID: "s\(i)", ra: p.ra, dec: p.dec, time: t0)
        }
        for q in 0..<300 {
            let centre = points[Int(rng.unit() * 3000)]
            let radius = [0.5, 30, 600, 36_000][q % 4] * (0.5 + rng.unit())
            let brute = points.filter {
                Sky.separationArcsec(ra1: $0.ra, dec1: $0.dec, ra2: centre.ra, dec2: centre.dec) <= radius
            }.count
            #expect(
                h.count(rule: "r", ra: centre.ra, dec: centre.dec, radiusArcsec: radius, since: t0, until: t0) == brute)
        }
    }

    @Test func disabledRulesAndSeverityFromAnomaly() throws {
        let off = try makeRule(when: "{snr: {gt: 1}}", "enabled: false")
        #expect(!off.matches(candidate(), history: none))
        #expect(off.conditionMatches(PreparedSubject(candidate())))
        let from = try makeRule(severity: "from_anomaly", when: "{snr: {gt: 1}}")
        #expect(from.alertSeverity(for: candidate(severity: "critical")) == .critical)
        #expect(from.alertSeverity(for: candidate(severity: nil)) == .medium)
    }

    @Test func ruleSetReturnsMatchingRulesInOrder() throws {
        let rules =
            try RuleSet.parse(yaml: ParsingTests.goodFile, source: "x")
            + [try makeRule("any-transient", when: "{type: transient}")]
        let set = try RuleSet(rules)
        #expect(set.matching(candidate(), history: InMemoryMatchHistory()).map(\.name) == ["any-transient"])
    }
}
