import Foundation
import Testing

@testable import Alerting

@Suite struct RouterTests {
    func rule(_ name: String = "bright", _ extra: String = "") throws -> AlertRule {
        try makeRule(name, severity: "high", when: "{type: transient}", "channels: [night-log]\n" + extra)
    }

    func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

    @Test func dedupWithinRadiusAndKeyFormat() throws {
        let r = try rule()
        let router = Router()
        let first = router.receive(candidate("a", ra: 150, dec: 2), rule: r, now: at(0))
        #expect(
            first
                == .new(
                    AlertKey(rule: "bright", dedupKey: "rule:bright:pos:150.000000:+2.000000", groupKey: "rule=bright"))
        )
        #expect(
            router.receive(candidate("b", ra: 150, dec: north(2, arcsec: 1)), rule: r, now: at(1))
                == .duplicate(first.key, count: 2))
        let far = router.receive(candidate("c", ra: 150, dec: north(2, arcsec: 5)), rule: r, now: at(2))
        guard case .new(let k) = far else {
            Issue.record("expected a new alert, got \(far)")
            return
        }
        #expect(k.dedupKey == "rule:bright:pos:150.000000:+2.001389")
        #expect(router.activeAlerts.map(\.count) == [2, 1])
        // Another rule never shares alerts; south and across RA 0 format as documented.
        let other = router.receive(candidate("d", ra: 150, dec: 2), rule: try rule("other"), now: at(3))
        #expect(other.key.dedupKey == "rule:other:pos:150.000000:+2.000000")
        let south = router.receive(candidate("e", ra: 359.99999999, dec: -0.5), rule: r, now: at(4))
        #expect(south.key.dedupKey == "rule:bright:pos:0.000000:-0.500000")
        #expect(router.receive(dataQuality(obs: "o9"), rule: r, now: at(5)).key.dedupKey == "rule:bright:obs:o9")
    }

    @Test func dedupTakesTheNearestAlertAndCrossesRAZero() throws {
        let r = try rule("r", "dedup_radius_arcsec: 3")
        let router = Router()
        let a = router.receive(candidate("a", ra: 359.9995, dec: 0), rule: r, now: at(0)).key  // 1.8″ west of 0
        let b = router.receive(candidate("b", ra: 0.0012, dec: 0), rule: r, now: at(0)).key  // 6.1″ from a
        #expect(a != b)
        #expect(router.receive(candidate("c", ra: 0.0001, dec: 0), rule: r, now: at(1)).key == a)  // 2.2″ from a, 4″ from b
        #expect(router.receive(candidate("d", ra: 0.0009, dec: 0), rule: r, now: at(1)).key == b)
    }

    @Test func groupTimingAtTheBoundaries() throws {
        let r = try rule("g", "group_wait: 30s\ngroup_interval: 5m\nrepeat_interval: 4h")
        let router = Router()
        let a = router.receive(candidate("a"), rule: r, now: at(0)).key
        #expect(router.nextDue(now: at(0)) == at(30))
        #expect(router.due(now: at(29.999)).isEmpty)
        let first = router.due(now: at(30))
        #expect(first.count == 1)
        #expect(first.first?.number == 1 && first.first?.reason == .initial)
        #expect(
            first.first?.newAlerts == [a] && first.first?.activeAlerts == [a] && first.first?.channels == ["night-log"])
        #expect(router.due(now: at(30)).isEmpty)
        #expect(router.nextDue(now: at(30)) == at(30 + 14_400))
        // A new alert waits for group_interval after the last notification.
        let b = router.receive(candidate("b", dec: 3), rule: r, now: at(60)).key
        #expect(router.nextDue(now: at(60)) == at(330))
        #expect(router.due(now: at(329.999)).isEmpty)
        let second = try #require(router.due(now: at(330)).first)
        #expect(
            second.number == 2 && second.reason == .changed && second.newAlerts == [b]
                && second.activeAlerts == [a, b].sorted())
        // Unchanged: nothing until repeat_interval.
        #expect(router.due(now: at(330 + 300)).isEmpty)
        #expect(router.due(now: at(330 + 14_399.999)).isEmpty)
        let third = try #require(router.due(now: at(330 + 14_400)).first)
        #expect(
            third.number == 3 && third.reason == .repeated && third.newAlerts.isEmpty && third.activeAlerts.count == 2)
        // A count update is a change, notified after group_interval.
        _ = router.receive(candidate("a2"), rule: r, now: at(20_000))
        #expect(router.due(now: at(14_730 + 299)).isEmpty)
        let fourth = try #require(router.due(now: at(14_730 + 300)).first)
        #expect(
            fourth.reason == .changed && fourth.updatedAlerts == [a] && fourth.alerts.first { $0.key == a }?.count == 2)
    }

    @Test func groupByFieldSplitsGroupsAndResolvedAlertsLeave() throws {
        let r = try rule("g", "group_by: [field, rule]\ngroup_wait: 0")
        let router = Router()
        let a = router.receive(candidate("a", field: "F1"), rule: r, now: at(0)).key
        let b = router.receive(candidate("b", dec: 5, field: "F2"), rule: r, now: at(0)).key
        #expect(a.groupKey == "rule=g|field=F1" && b.groupKey == "rule=g|field=F2")
        #expect(router.due(now: at(0)).map(\.groupKey) == ["rule=g|field=F1", "rule=g|field=F2"])
        #expect(router.resolve(a, now: at(10)))
        #expect(!router.resolve(a, now: at(10)))
        #expect(router.snapshot().groups.map(\.key) == ["rule=g|field=F2"])
        #expect(router.due(now: at(14_400)).map(\.activeAlerts) == [[b]])
        // Resolved then seen again: a new alert with the same key, in a new group.
        #expect(router.receive(candidate("a3", field: "F1"), rule: r, now: at(20_000)) == .new(a))
    }

    @Test func silenceByMatcherAndRegex() throws {
        let r = try rule("s", "group_wait: 0")
        let router = Router()
        try router.addSilence(
            Silence(
                id: "s1",
                matchers: [SilenceMatcher("field", .equal, "NOC-F02"), try SilenceMatcher(parsing: "type=~trans.*")],
                endsAt: at(1000), createdBy: "ops", comment: "focus problem"))
        let held = router.receive(candidate("a", field: "NOC-F02"), rule: r, now: at(0))
        #expect(held == .silenced(held.key, by: "s1"))
        #expect(router.receive(candidate("b", dec: 5, field: "NOC-F01"), rule: r, now: at(0)).isNew)
        let sent = router.due(now: at(0))
        #expect(sent.flatMap(\.activeAlerts).map(\.dedupKey) == ["rule:s:pos:150.000000:+5.000000"])
        #expect(router.alert(held.key.dedupKey)?.suppression == .silenced("s1"))
    }

    @Test func silenceByRegionEndsAtItsTime() throws {
        let r = try rule("s", "group_wait: 0")
        let router = Router()
        try router.addSilence(
            Silence(
                id: "sky", matchers: [], region: try SkyCone(ra: 150, dec: 2, radiusArcsec: 60), startsAt: at(10),
                endsAt: at(100),
                createdBy: "ops", comment: "satellite trail"))
        #expect(router.receive(candidate("a"), rule: r, now: at(5)) == .new(router.activeAlerts[0].key))  // before it starts
        #expect(router.receive(candidate("b", dec: north(2, arcsec: 30)), rule: r, now: at(10)).isSilenced)
        #expect(!router.receive(candidate("c", dec: north(2, arcsec: 90)), rule: r, now: at(11)).isSilenced)  // outside
        #expect(!router.receive(candidate("d", dec: north(2, arcsec: 30.5)), rule: r, now: at(100)).isSilenced)  // ended
        #expect(throws: SilenceError.self) {
            try router.addSilence(
                Silence(
                    id: "bad", matchers: [SilenceMatcher("planet", .equal, "x")], endsAt: at(1), createdBy: "",
                    comment: ""))
        }
        #expect(throws: SilenceError.self) {
            try router.addSilence(
                Silence(
                    id: "bad", matchers: [SilenceMatcher("type", .matches, "(")], endsAt: at(1), createdBy: "",
                    comment: ""))
        }
        #expect(throws: SilenceError.self) {
            try router.addSilence(
                Silence(id: "bad", matchers: [SilenceMatcher("type", .equal, "x")], createdBy: "", comment: ""))
        }
    }

    @Test func expireSilenceAndMuteAtSendTime() throws {
        let r = try rule("m", "group_wait: 0\nrepeat_interval: 1h")
        let router = Router()
        let a = router.receive(candidate("a"), rule: r, now: at(0)).key
        #expect(router.due(now: at(0)).count == 1)
        try router.addSilence(
            Silence(
                id: "quiet", matchers: [SilenceMatcher("rule", .equal, "m")], endsAt: at(10_000), createdBy: "ops",
                comment: ""))
        #expect(router.due(now: at(3600)).isEmpty, "an active alert is muted while a silence matches it")
        #expect(router.nextDue(now: at(3600)) == at(10_000), "muted: next chance when the silence ends")
        #expect(router.receive(candidate("a2"), rule: r, now: at(3700)) == .silenced(a, by: "quiet"))
        #expect(router.expireSilence(id: "quiet", now: at(4000)))
        #expect(!router.expireSilence(id: "quiet", now: at(4001)))
        let back = try #require(router.due(now: at(4000)).first)
        #expect(back.reason == .repeated && back.activeAlerts == [a], "the held subject does not count as a change")
        #expect(router.receive(candidate("a3"), rule: r, now: at(4100)) == .duplicate(a, count: 3))
        #expect(router.allSilences.first?.endsAt == at(4000))
    }

    @Test func inhibitionByDataQualityAndSilenceUntilResolved() throws {
        let dq = try makeRule(
            "dq-flood", severity: "critical", when: "{kind: data_quality, candidate_count: {gt: 500}}", "group_wait: 0")
        let r = try rule("c", "group_wait: 0")
        let router = Router()
        let early = router.receive(candidate("early", obs: "obs1", dec: 10), rule: r, now: at(0))
        let alarm = router.receive(dataQuality(obs: "obs1"), rule: dq, now: at(1))
        #expect(
            alarm == .new(AlertKey(rule: "dq-flood", dedupKey: "rule:dq-flood:obs:obs1", groupKey: "rule=dq-flood")))
        let held = router.receive(candidate("x", obs: "obs1"), rule: r, now: at(2))
        #expect(held == .inhibited(held.key, by: "rule:dq-flood:obs:obs1"))
        #expect(
            router.receive(candidate("y", obs: "obs2", dec: 20), rule: r, now: at(2)).isNew,
            "other observations are not held")
        #expect(router.receive(dataQuality(obs: "obs1"), rule: dq, now: at(3)) == .duplicate(alarm.key, count: 2))
        let sent = router.due(now: at(3)).flatMap(\.activeAlerts).map(\.dedupKey)
        #expect(sent.contains(early.key.dedupKey), "arrived before the alarm: not retro-inhibited")
        #expect(!sent.contains(held.key.dedupKey) && sent.contains(alarm.key.dedupKey))
        // Ops silence the field until the data-quality alert resolves.
        try router.addSilence(
            Silence(
                id: "f1", matchers: [SilenceMatcher("field", .equal, "NOC-F01")], untilResolved: alarm.key,
                createdBy: "ops", comment: ""))
        let z = router.receive(candidate("z", obs: "obs3", dec: 30), rule: r, now: at(4))
        #expect(z == .silenced(z.key, by: "f1"))
        #expect(router.due(now: at(5)).isEmpty, "the silence mutes the field's alerts, the alarm included")
        #expect(router.resolve(alarm.key, now: at(50)))
        #expect(router.allSilences.first?.endsAt == at(50))
        #expect(router.receive(candidate("w", obs: "obs1", dec: 40), rule: r, now: at(60)).isNew)
        #expect(throws: SilenceError.self) {
            try router.addSilence(
                Silence(
                    id: "late", matchers: [SilenceMatcher("rule", .equal, "c")], untilResolved: alarm.key,
                    createdBy: "", comment: ""))
        }
    }

    @Test func heldAlertJoinsWhenASubjectIsNotHeld() throws {
        let r = try rule("h", "group_wait: 0")
        let router = Router()
        try router.addSilence(
            Silence(
                id: "s", matchers: [SilenceMatcher("snr", .equal, "12")], endsAt: at(100), createdBy: "", comment: ""))
        let k = router.receive(candidate("a", snr: 12), rule: r, now: at(0)).key
        #expect(router.due(now: at(1)).isEmpty)
        #expect(router.receive(candidate("b", snr: 13), rule: r, now: at(2)) == .duplicate(k, count: 2))
        let n = try #require(router.due(now: at(2)).first)
        #expect(n.newAlerts == [k] && n.alerts.first?.visibleCount == 1)
    }

    @Test func severityFromAnomalyGroupsAndSilences() throws {
        let r = try makeRule("sev", severity: "from_anomaly", when: "{type: transient}", "group_by: [severity]")
        let router = Router()
        let k = router.receive(candidate("a", severity: "critical"), rule: r, now: at(0)).key
        #expect(k.groupKey == "rule=sev|severity=critical" && router.alert(k.dedupKey)?.severity == .critical)
        try router.addSilence(Silence(
            id: "crit", matchers: [SilenceMatcher("severity", .equal, "critical")], endsAt: at(100), createdBy: "",
            comment: ""))
        // A duplicate keeps the alert's severity, whatever its own.
        #expect(router.receive(candidate("b", severity: "low"), rule: r, now: at(1)) == .silenced(k, by: "crit"))
        let low = router.receive(candidate("c", dec: 9, severity: nil), rule: r, now: at(2))
        #expect(low.isNew && low.key.groupKey == "rule=sev|severity=medium")
    }

    @Test func subjectsEncodeWithRuleFieldNames() throws {
        let s = candidate()
        let json = String(decoding: try JSONEncoder.sorted.encode(s), as: UTF8.self)
        #expect(json.contains(#""candidate_id":"c1""#) && json.contains(#""is_anomaly":true"#))
        #expect(json.contains(#""kind":"candidate""#))
        #expect(try JSONDecoder().decode(AlertSubject.self, from: Data(json.utf8)) == s)
    }

    @Test func resolveAfterExpiresQuietAlerts() throws {
        let r = try rule("q", "group_wait: 0\nresolve_after: 1h")
        let router = Router()
        let k = router.receive(candidate("a"), rule: r, now: at(0)).key
        #expect(router.receive(candidate("b"), rule: r, now: at(3599)) == .duplicate(k, count: 2))
        #expect(
            router.receive(candidate("c"), rule: r, now: at(3599 + 3600)) == .new(k),
            "quiet for an hour: resolved, then new")
        _ = router.due(now: at(8000))
        #expect(router.due(now: at(3599 + 7200)).isEmpty)
        #expect(router.activeAlerts.isEmpty)
    }

    @Test func snapshotRestoreGivesTheSameFutureDecisions() throws {
        let r = try rule("p", "group_by: [field]\ngroup_wait: 30s\ngroup_interval: 2m\nrepeat_interval: 1h")
        let dq = try makeRule("dq", severity: "high", when: "{kind: data_quality}")
        let original = Router()
        _ = original.receive(candidate("a", obs: "o1"), rule: r, now: at(0))
        _ = original.receive(candidate("b", obs: "o1", dec: 3, field: "F9"), rule: r, now: at(5))
        _ = original.receive(dataQuality(obs: "o2"), rule: dq, now: at(6))
        try original.addSilence(
            Silence(
                id: "s", matchers: [try SilenceMatcher(parsing: "field!=NOC-F01")], endsAt: at(900), createdBy: "",
                comment: ""))
        _ = original.due(now: at(40))
        let data = try JSONEncoder().encode(original.snapshot())
        let restored = try Router(state: JSONDecoder().decode(RouterState.self, from: data))
        #expect(restored.snapshot() == original.snapshot())
        var rng = SplitMix64(seed: 3)
        var kinds = Set<String>()
        var notified = 0
        for step in 0..<200 {
            let now = at(50 + Double(step) * 37)
            let s =
                step % 17 == 0
                ? dataQuality(obs: "o\(step % 5)", at: now.timeIntervalSince(t0))
                : candidate(
                    "n\(step)", obs: "o\(step % 5)", ra: 150 + rng.unit() * 0.01, dec: 2 + rng.unit() * 0.01,
                    field: ["NOC-F01", "F9"][step % 2])
            let rr = s.kind == .dataQuality ? dq : r
            let d = original.receive(s, rule: rr, now: now)
            #expect(d == restored.receive(s, rule: rr, now: now))
            kinds.insert(String(describing: d).prefix { $0 != "(" }.description)
            if step == 100 {
                #expect(
                    original.resolve(original.activeAlerts[0].key, now: now)
                        == restored.resolve(restored.activeAlerts[0].key, now: now))
            }
            let sent = original.due(now: now)
            #expect(sent == restored.due(now: now))
            notified += sent.count
        }
        #expect(
            kinds == ["new", "duplicate", "silenced", "inhibited"] && notified > 10, "the replay exercises every path")
        let a = try JSONEncoder.sorted.encode(original.snapshot())
        let b = try JSONEncoder.sorted.encode(restored.snapshot())
        #expect(a == b)
    }
}

extension RouteDecision {
    var isSilenced: Bool { if case .silenced = self { true } else { false } }
    var isNew: Bool { if case .new = self { true } else { false } }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }
}
