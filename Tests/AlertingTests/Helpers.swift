import Foundation
import Testing

@testable import Alerting

/// A fixed epoch so every test runs on the same controlled clock.
let t0 = Date(timeIntervalSince1970: 1_900_000_000)

/// Parses one rule named `name` from YAML body lines (indented two spaces under the list item).
func makeRule(_ name: String = "t", severity: String = "low", when: String, _ extra: String = "") throws -> AlertRule {
    var text = "rules:\n  - name: \(name)\n    severity: \(severity)\n    when: \(when)\n"
    for line in extra.split(separator: "\n") { text += "    \(line)\n" }
    let rules = try RuleSet.parse(yaml: text, source: "test")
    return try #require(rules.first)
}

/// A candidate with sensible defaults; override what a test is about.
func candidate(
    _ id: String = "c1", obs: String = "obs1", at offset: TimeInterval = 0, ra: Double? = 150.0, dec: Double? = 2.0,
    severity: String? = "high", type: String? = "transient", snr: Double? = 12, confidence: Double? = 0.9,
    field: String? = "NOC-F01", filter: String? = "r"
) -> AlertSubject {
    AlertSubject(
        kind: .candidate, candidateID: id, observationID: obs, runID: "run1", time: t0.addingTimeInterval(offset),
        ra: ra,
        dec: dec, severity: severity, type: type, confidence: confidence, snr: snr, mag: 19.5, ratio: 1.4,
        distance: 2.1,
        threshold: 1.5, isAnomaly: severity != nil, isDetection: true, survey: "noc", field: field, filter: filter)
}

/// A data-quality event for an observation.
func dataQuality(obs: String = "obs1", at offset: TimeInterval = 0, count: Int = 900) -> AlertSubject {
    AlertSubject(
        kind: .dataQuality, observationID: obs, runID: "run1", time: t0.addingTimeInterval(offset), field: "NOC-F01",
        candidateCount: count, reason: "too many candidates")
}

/// Moves a position by `arcsec` north (Dec), for dedup and repeat tests.
func north(_ dec: Double, arcsec: Double) -> Double { dec + arcsec / 3600 }
