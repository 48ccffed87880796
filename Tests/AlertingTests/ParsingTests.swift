import Checksum
import Foundation
import Testing

@testable import Alerting

@Suite struct ParsingTests {
    static let goodFile = """
        rules:
          - name: bright-transients
            description: Bright new transients
            severity: high
            enabled: true
            when:
              all:
                - severity: {at_least: high}
                - type: {in: [transient, supernova_like]}
                - snr: {gte: 10}
                - confidence: {gt: 0.8}
                - not: {field: {eq: NOC-F02}}
                - any:
                    - region: {cone: {ra: 150.1, dec: 2.2, radius_arcsec: 30}}
                    - region: {watchlist: [{ra: 10, dec: -5, radius_arcsec: 5, name: SN2026abc}]}
            repeat: {count: 2, within_minutes: 30, radius_arcsec: 2}
            group_by: [rule, field]
            group_wait: 30s
            group_interval: 5m
            repeat_interval: 4h
            dedup_radius_arcsec: 2
            channels: [zeromq, ops-webhook, night-log]
          - name: dq.starved_1
            severity: from_anomaly
            when: {kind: data_quality, candidate_count: {lt: 5}}
        """

    @Test func goodFileGivesCanonicalJSON() throws {
        let rules = try RuleSet.parse(yaml: Self.goodFile, source: "rules.yaml")
        #expect(rules.map(\.name) == ["bright-transients", "dq.starved_1"])
        let r = rules[0]
        let when =
            #"{"all":[{"severity":{"at_least":"high"}},{"type":{"in":["transient","supernova_like"]}},"#
            + #"{"snr":{"gte":10}},{"confidence":{"gt":0.8}},{"not":{"field":{"eq":"NOC-F02"}}},"#
            + #"{"any":[{"region":{"cone":{"dec":2.2,"ra":150.1,"radius_arcsec":30}}},"#
            + #"{"region":{"watchlist":[{"dec":-5,"name":"SN2026abc","ra":10,"radius_arcsec":5}]}}]}]}"#
        #expect(r.conditionJSON == #"{"repeat":{"count":2,"radius_arcsec":2,"within_minutes":30},"when":"# + when + "}")
        #expect(
            r.routingJSON
                == #"{"dedup_radius_arcsec":2,"group_by":["field","rule"],"group_interval":300,"group_wait":30,"repeat_interval":14400}"#
        )
        #expect(r.actionsJSON == #"{"channels":["zeromq","ops-webhook","night-log"],"severity":"high"}"#)
        #expect(r.condition.canonicalJSON == when)
        #expect(r.source == "rules.yaml")
        #expect(r.fingerprint.count == 64)
        // Defaults are explicit in the canonical form.
        #expect(
            rules[1].routingJSON
                == #"{"dedup_radius_arcsec":2,"group_by":[],"group_interval":300,"group_wait":30,"repeat_interval":14400}"#
        )
        #expect(rules[1].actionsJSON == #"{"channels":[],"severity":"from_anomaly"}"#)
    }

    @Test func canonicalJSONRoundTripsAsARule() throws {
        for r in try RuleSet.parse(yaml: Self.goodFile, source: "a") {
            let again = try #require(try RuleSet.parse(yaml: r.canonicalJSON, source: "b").first)
            #expect(again.canonicalJSON == r.canonicalJSON)
            #expect(again.fingerprint == r.fingerprint)
            #expect(again.condition == r.condition)
        }
    }

    @Test func fingerprintIgnoresSpellingButNotContent() throws {
        let a = try makeRule(when: "{snr: {gte: 10}, type: transient}", "group_wait: 30s")
        let b = try makeRule(
            when: "\n      all:\n        - snr: {gte: 10.0}\n        - type: {eq: transient}", "group_wait: 30")
        let c = try makeRule(when: "{snr: {gte: 11}, type: transient}")
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test func fingerprintIsTheSHA256OfTheCanonicalJSON() throws {
        let rule = try #require(try RuleSet.parse(yaml: "name: r\nseverity: low\nwhen: {snr: {gt: 1}}\nchannels: [zeromq]\n",
                                                  source: "test").first)
        var digest = SHA256()
        digest.update(Array(rule.canonicalJSON.utf8))
        #expect(rule.fingerprint == digest.hexDigest())
        #expect(rule.fingerprint.count == 64)
    }

    @Test func durations() throws {
        let r = try makeRule(
            when: "{snr: {gt: 1}}", "group_wait: 0\ngroup_interval: 1h30m\nrepeat_interval: 1.5d\nresolve_after: 90")
        #expect(r.groupWait == 0)
        #expect(r.groupInterval == 5400)
        #expect(r.repeatInterval == 129_600)
        #expect(r.resolveAfter == 90)
    }

    /// Parses a rule named `r` with the given body lines and returns its refusal.
    static func refusal(_ body: String) -> RuleError? {
        var text = "rules:\n  - name: r\n"
        for line in body.split(separator: "\n") { text += "    \(line)\n" }
        do {
            _ = try RuleSet.parse(yaml: text, source: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    static let badCases: [(body: String, key: String, says: String)] = [
        (
            "severity: low\nwhen: {all: [{snr: {gte: 1}}, {typ: {eq: transient}}]}", "when.all[1].typ",
            "unknown field 'typ'"
        ),
        ("severity: low\nwhen: {snr: {gte: \"ten\"}}", "when.snr.gte", "expected a number"),
        ("severity: low\nwhen: {snr: {gte: \"10\"}}", "when.snr.gte", "expected a number"),
        ("severity: low\nwhen: {severity: {gte: 3}}", "when.severity.gte", "use at_least/at_most"),
        ("severity: low\nwhen: {severity: {at_least: severe}}", "when.severity.at_least", "expected a severity"),
        ("severity: low\nwhen: {severity: {eq: 3}}", "when.severity.eq", "expected a severity"),
        ("severity: low\nwhen: {type: {in: [3]}}", "when.type.in[0]", "expected a type"),
        ("severity: low\nwhen: {type: {in: [transient, supernova]}}", "when.type.in[1]", "expected a type"),
        ("severity: low\nwhen: {type: {in: []}}", "when.type.in", "at least one value"),
        ("severity: low\nwhen: {field: {eq: 12}}", "when.field.eq", "expected text"),
        ("severity: low\nwhen: {is_anomaly: {eq: maybe}}", "when.is_anomaly.eq", "expected true or false"),
        ("severity: low\nwhen: {snr: {gtee: 3}}", "when.snr.gtee", "unknown operator 'gtee'"),
        ("severity: low\nwhen: {snr: {at_least: 3}}", "when.snr.at_least", "applies to severity only"),
        ("severity: low\nwhen: {type: {lt: transient}}", "when.type.lt", "does not apply"),
        ("severity: low\nwhen: {snr: {exists: 1}}", "when.snr.exists", "expected true or false"),
        ("severity: low\nwhen: {all: []}", "when.all", "at least one condition"),
        ("severity: low\nwhen: {}", "when", "empty condition"),
        ("severity: low\nwhen: {not: {any: [{snr: {gt: 1}}, {frob: 1}]}}", "when.not.any[1].frob", "unknown field"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ncolour: red", "colour", "unknown key 'colour'"),
        (
            "severity: low\nwhen: {region: {cone: {ra: 10, dec: 95, radius_arcsec: 5}}}", "when.region.cone.dec",
            "outside [-90, 90]"
        ),
        (
            "severity: low\nwhen: {region: {cone: {ra: 360, dec: 0, radius_arcsec: 5}}}", "when.region.cone.ra",
            "outside [0, 360)"
        ),
        (
            "severity: low\nwhen: {region: {cone: {ra: -1, dec: 0, radius_arcsec: 5}}}", "when.region.cone.ra",
            "outside [0, 360)"
        ),
        (
            "severity: low\nwhen: {region: {cone: {ra: 1, dec: 0, radius_arcsec: 0}}}",
            "when.region.cone.radius_arcsec", "must be > 0"
        ),
        (
            "severity: low\nwhen: {region: {cone: {ra: 1, dec: 0, radius_arcsec: 648001}}}",
            "when.region.cone.radius_arcsec", "180°"
        ),
        ("severity: low\nwhen: {region: {cone: {ra: 1, dec: 0}}}", "when.region.cone.radius_arcsec", "missing"),
        (
            "severity: low\nwhen: {region: {watchlist: [{ra: 1, dec: 1, radius_arcsec: 5}, {ra: 1, dec: -91, radius_arcsec: 5}]}}",
            "when.region.watchlist[1].dec", "outside"
        ),
        ("severity: low\nwhen: {region: {box: {}}}", "when.region.box", "unknown region"),
        ("severity: low\nwhen: {snr: {gt: 1}}\nrepeat: {count: 0, within_minutes: 30}", "repeat.count", "at least 1"),
        (
            "severity: low\nwhen: {snr: {gt: 1}}\nrepeat: {count: 2, within_minutes: 0}", "repeat.within_minutes",
            "positive"
        ),
        (
            "severity: low\nwhen: {snr: {gt: 1}}\nrepeat: {count: 2, within_minutes: -5}", "repeat.within_minutes",
            "positive"
        ),
        (
            "severity: low\nwhen: {snr: {gt: 1}}\nrepeat: {count: 2.5, within_minutes: 5}", "repeat.count",
            "whole number"
        ),
        ("severity: low\nwhen: {snr: {gt: 1}}\nrepeat: {within_minutes: 5}", "repeat.count", "missing"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ngroup_wait: 5 minutes", "group_wait", "malformed duration"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ngroup_interval: -5m", "group_interval", "negative"),
        ("severity: low\nwhen: {snr: {gt: 1}}\nrepeat_interval: -30", "repeat_interval", "negative"),
        ("severity: low\nwhen: {snr: {gt: 1}}\nrepeat_interval: 0s", "repeat_interval", "longer than zero"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ngroup_wait: 5x", "group_wait", "malformed duration"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ndedup_radius_arcsec: 0", "dedup_radius_arcsec", "radius"),
        ("severity: low\nwhen: {snr: {gt: 1}}\ngroup_by: [field, planet]", "group_by[1]", "unknown label 'planet'"),
        ("severity: low\nwhen: {snr: {gt: 1}}\nchannels: [night-log, \"\"]", "channels[1]", "empty channel name"),
        ("severity: extreme\nwhen: {snr: {gt: 1}}", "severity", "from_anomaly"),
        ("severity: low", "when", "missing"),
        ("when: {snr: {gt: 1}}", "severity", "missing"),
        ("severity: low\nwhen: {snr: {gt: 1}}\nenabled: sometimes", "enabled", "expected true or false"),
    ]

    @Test(arguments: badCases)
    func badRuleIsRefusedNamingRuleAndKey(_ c: (body: String, key: String, says: String)) throws {
        let e = try #require(Self.refusal(c.body))
        #expect(e.rule == "r")
        #expect(e.key == c.key)
        #expect(e.message.contains(c.says), "\(e)")
        #expect(e.description.hasPrefix("rule 'r', key '\(c.key)': "))
    }

    @Test func messageForMisspeltField() throws {
        let e = try #require(Self.refusal("severity: low\nwhen: {all: [{snr: {gte: 1}}, {typ: {eq: transient}}]}"))
        #expect(e.description == "rule 'r', key 'when.all[1].typ': unknown field 'typ' (did you mean 'type'?)")
    }

    @Test func badAndDuplicateNames() throws {
        let bad = "rules:\n  - name: bad name!\n    severity: low\n    when: {snr: {gt: 1}}\n"
        #expect(
            throws: RuleError(
                rule: nil, key: "rules[0].name", message: "bad name 'bad name!': use 1–128 of A-Z a-z 0-9 _ . -")
        ) {
            try RuleSet.parse(yaml: bad, source: "x")
        }
        let dup =
            "rules:\n  - {name: d, severity: low, when: {snr: {gt: 1}}}\n  - {name: d, severity: high, when: {snr: {gt: 2}}}\n"
        #expect(throws: RuleError(rule: "d", key: "name", message: "duplicate rule name (first at rules[0])")) {
            try RuleSet.parse(yaml: dup, source: "x")
        }
        let a = try makeRule("same", when: "{snr: {gt: 1}}")
        #expect(throws: RuleError.self) { try RuleSet([a, a]) }
    }

    @Test func topLevelShapes() throws {
        #expect(try RuleSet.parse(yaml: "", source: "x").isEmpty)
        #expect(try RuleSet.parse(yaml: "rules:\n", source: "x").isEmpty)
        #expect(try RuleSet.parse(yaml: "- {name: a, severity: low, when: {snr: {gt: 1}}}", source: "x").count == 1)
        #expect(
            throws: RuleError(key: "alerts", message: "unknown top-level key 'alerts' (a rules file holds `rules:`)")
        ) {
            try RuleSet.parse(yaml: "alerts: []", source: "x")
        }
        let e = try #require(
            RuleSet.validate(
                yaml: "rules: [{name: a, severity: low}, {name: b, severity: low, when: {x: 1}}]", source: "x"
            )
            .map(\.description) as [String]?)
        #expect(
            e == [
                "rule 'a', key 'when': missing (a rule needs a condition)",
                "rule 'b', key 'when.x': unknown field 'x' (known: severity, type, confidence, snr, mag, ratio, distance, "
                    + "threshold, survey, field, filter, kind, is_anomaly, is_detection, candidate_count, all, any, not, "
                    + "region)",
            ])
    }

    @Test func fieldTableNamesEveryRuleField() {
        #expect(AlertSubject.ruleFields.count == 15)
        #expect(AlertSubject.ruleFields["severity"] == .severity)
        #expect(AlertSubject.ruleFields["candidate_count"] == .number)
        #expect(AlertSubject.ruleFields["is_detection"] == .bool)
        #expect(AlertSubject.ruleFields["filter"] == .string)
    }
}
