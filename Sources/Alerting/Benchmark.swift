import Foundation

/// Times rule evaluation on synthetic rules and subjects (seeded, so every
/// run sees the same work). Run it from a release build for real figures.
public enum RuleBenchmark {
    /// What a run measured.
    public struct Result: Sendable {
        /// Rules evaluated against each subject.
        public let rules: Int
        /// Subjects generated.
        public let subjects: Int
        /// rules × subjects.
        public let evaluations: Int
        /// Rule–subject pairs that matched.
        public let matches: Int
        /// Seconds spent evaluating (subject preparation included).
        public let seconds: Double
        /// Rule–subject evaluations per second.
        public let evaluationsPerSecond: Double
        /// Seconds to parse and compile the rules.
        public let parseSeconds: Double
        /// Router decisions per second when every match is routed.
        public let routedPerSecond: Double
        /// Evaluations per second through ``AlertRule/matches(_:history:)`` with an
        /// unprepared subject (each rule prepares it again).
        public let unpreparedEvaluationsPerSecond: Double
    }

    /// Builds `rules` varied rules (ten shapes: thresholds, severity order,
    /// type lists, nested not/any, cones, a 50-entry watch list,
    /// data-quality, `repeat`), `subjects` random subjects (seed 42), and
    /// times evaluating every rule against every subject, then routing the matches.
    public static func run(rules: Int = 100, subjects: Int = 10_000) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let ruleList: [AlertRule]
        do {
            ruleList = try RuleSet.parse(yaml: yaml(rules: rules), source: "benchmark")
        } catch {
            preconditionFailure("benchmark rules must parse: \(error)")
        }
        let parsed = DispatchTime.now().uptimeNanoseconds
        var rng = SplitMix64(seed: 42)
        let subjectList = (0..<subjects).map { subject($0, &rng) }
        let history = InMemoryMatchHistory()
        var matched: [(Int, Int)] = []
        let t0 = DispatchTime.now().uptimeNanoseconds
        for (si, s) in subjectList.enumerated() {
            let p = PreparedSubject(s)
            for (ri, r) in ruleList.enumerated() where r.matches(p, history: history) { matched.append((si, ri)) }
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        let router = Router()
        let base = Date(timeIntervalSince1970: 1_900_000_000)
        for (si, ri) in matched {
            _ = router.receive(subjectList[si], rule: ruleList[ri], now: base.addingTimeInterval(Double(si)))
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        let history2 = InMemoryMatchHistory()
        var unpreparedMatches = 0
        for s in subjectList {
            for r in ruleList where r.matches(s, history: history2) { unpreparedMatches += 1 }
        }
        let t3 = DispatchTime.now().uptimeNanoseconds
        precondition(unpreparedMatches == matched.count, "both paths must agree")
        let seconds = max(Double(t1 - t0) / 1e9, 1e-9)
        return Result(
            rules: ruleList.count, subjects: subjects, evaluations: ruleList.count * subjects, matches: matched.count,
            seconds: seconds, evaluationsPerSecond: Double(ruleList.count * subjects) / seconds,
            parseSeconds: Double(parsed - start) / 1e9,
            routedPerSecond: Double(matched.count) / max(Double(t2 - t1) / 1e9, 1e-9),
            unpreparedEvaluationsPerSecond: Double(ruleList.count * subjects) / max(Double(t3 - t2) / 1e9, 1e-9))
    }

    /// The rules file: shape `i % 10`, thresholds varied with `i`.
    static func yaml(rules: Int) -> String {
        var out = "rules:\n"
        for i in 0..<rules {
            let k = Double(i / 10)
            let when: String
            switch i % 10 {
            case 0: when = "{severity: {at_least: high}, type: {in: [transient, supernova_like]}, snr: {gte: \(5 + k)}}"
            case 1: when = "{confidence: {gt: \(0.5 + k / 25)}, not: {field: {eq: NOC-F0\(i % 7)}}}"
            case 2:
                let a = "{region: {cone: {ra: \(149.5 + k / 10), dec: 2.0, radius_arcsec: 600}}}"
                let b = "{region: {cone: {ra: 150.5, dec: \(1.5 + k / 10), radius_arcsec: 300}}}"
                when = "{any: [\(a), \(b)]}"
            case 3: when = "{is_anomaly: true, region: {watchlist: [\(watchlist(i))]}}"
            case 4: when = "{ratio: {gte: \(1 + k / 5)}, severity: {in: [medium, high]}}"
            case 5: when = "{mag: {lt: \(18 + k / 3)}, filter: {in: [g, r]}, distance: {exists: true}}"
            case 6: when = "{kind: data_quality, candidate_count: {gt: \(100 + 20 * k)}}"
            case 7: when = "{type: transient, snr: {gte: \(4 + k)}}"
            case 8:
                let a = "{all: [{type: variable}, {not: {severity: {at_most: low}}}]}"
                let b = "{all: [{is_detection: true}, {confidence: {gte: \(0.9 + k / 200)}}]}"
                when = "{any: [\(a), \(b)]}"
            default: when = "{survey: {ne: other}, distance: {gt: \(2 + k / 4)}, threshold: {lt: 3}}"
            }
            out += "  - name: bench-\(i)\n    severity: \(i % 3 == 0 ? "from_anomaly" : "high")\n    when: \(when)\n"
            if i % 10 == 7 { out += "    repeat: {count: 2, within_minutes: 30, radius_arcsec: 2}\n" }
            out += "    group_by: [field]\n    channels: [night-log]\n"
        }
        return out
    }

    private static func watchlist(_ i: Int) -> String {
        var rng = SplitMix64(seed: UInt64(i))
        return (0..<50).map { j in
            "{ra: \(149 + 2 * rng.unit()), dec: \(1 + 2 * rng.unit()), radius_arcsec: 20, name: obj\(j)}"
        }.joined(separator: ", ")
    }

    private static func subject(_ i: Int, _ rng: inout SplitMix64) -> AlertSubject {
        let severities = ["low", "medium", "high", "critical"]
        let isDQ = rng.unit() < 0.02
        // Every tenth subject revisits an earlier position, so `repeat` rules fire.
        var pos = SplitMix64(seed: i % 10 == 9 ? UInt64(i / 100) : rng.next())
        return AlertSubject(
            kind: isDQ ? .dataQuality : .candidate, candidateID: isDQ ? nil : "c\(i)", observationID: "obs\(i / 50)",
            runID: "bench", time: Date(timeIntervalSince1970: 1_900_000_000 + Double(i) * 5),
            ra: isDQ ? nil : 149 + 2 * pos.unit(), dec: isDQ ? nil : 1 + 2 * pos.unit(),
            severity: rng.unit() < 0.4 ? severities[Int(rng.unit() * 4) % 4] : nil,
            type: AlertSubject.knownTypes[Int(rng.unit() * 6) % 6], confidence: rng.unit(), snr: 3 + 30 * rng.unit(),
            mag: 16 + 8 * rng.unit(), ratio: 2 * rng.unit(), distance: 5 * rng.unit(), threshold: 1 + 3 * rng.unit(),
            isAnomaly: rng.unit() < 0.3, isDetection: rng.unit() < 0.7, survey: "noc", field: "NOC-F0\(i % 7)",
            filter: ["g", "r", "i"][i % 3], candidateCount: isDQ ? Int(400 * rng.unit()) : nil)
    }
}

/// A small seeded generator (SplitMix64) so benchmark inputs are the same on every run and platform.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
