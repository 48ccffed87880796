import Foundation

/// Turns rule matches into alerts and decides when notifications go out,
/// on a clock the caller controls (every method takes `now`).
///
/// Per subject that matched a rule (``receive(_:rule:now:)``):
/// 1. **Dedup.** Same rule and a position within `dedup_radius_arcsec` of an
///    unresolved alert (the nearest one) → that alert; data-quality subjects
///    dedup by observation. Otherwise a new alert.
/// 2. **Inhibition.** While a data-quality alert is unresolved for an
///    observation, that observation's candidates are held
///    (``RouteDecision/inhibited(_:by:)``). This is decided on arrival:
///    candidates that arrived before the data-quality alarm are not held
///    afterwards (they were already reported or queued; taking them back
///    would make notifications depend on arrival order within a night).
///    A silenced data-quality alert still inhibits: the problem is real.
/// 3. **Silences** hold matching subjects, and mute matching active alerts
///    at send time while they last. A subject that was held does not change
///    what its alert notifies; an alert whose subjects were all held never
///    notifies until a subject arrives that is not held.
///
/// Notifications (``due(now:)``) follow Alertmanager's timing per group:
/// first at group start + `group_wait`; then, if alerts joined or counts grew,
/// at last notification + `group_interval`; otherwise, while the group has
/// active alerts, at last notification + `repeat_interval`. Boundaries are
/// inclusive. Resolved alerts leave their group; an empty group is dropped.
///
/// Deterministic: same calls with the same clock give the same results;
/// every output is sorted. Not thread-safe: one owner.
public final class Router {
    var alerts: [String: AlertRecord] = [:]
    var groups: [String: AlertGroup] = [:]
    var silences: [String: CompiledSilence] = [:]
    /// Silence ids sorted, so the first matching silence is always the same one.
    var silenceOrder: [String] = []
    /// Per rule, the dedup keys of positional alerts by position.
    var positions: [String: SkyGrid<String>] = [:]
    /// Unresolved data-quality alerts per observation.
    var dataQuality: [String: Set<String>] = [:]

    /// An empty router.
    public init() {}

    /// A router continuing from a ``snapshot()``; throws if a stored silence is invalid.
    public init(state: RouterState) throws(SilenceError) {
        for a in state.alerts { insert(a) }
        for g in state.groups { groups[g.key] = g }
        for s in state.silences {
            silences[s.id] = try CompiledSilence(s)
        }
        silenceOrder = silences.keys.sorted()
    }

    /// The whole state, sorted, for persisting.
    public func snapshot() -> RouterState {
        RouterState(
            alerts: alerts.keys.sorted().map { alerts[$0]! }, groups: groups.keys.sorted().map { groups[$0]! },
            silences: silenceOrder.map { silences[$0]!.silence })
    }

    /// Unresolved alerts (held ones included), sorted by key.
    public var activeAlerts: [AlertRecord] { alerts.keys.sorted().map { alerts[$0]! } }

    /// The unresolved alert with this dedup key.
    public func alert(_ dedupKey: String) -> AlertRecord? { alerts[dedupKey] }

    /// All silences, expired ones too, by id.
    public var allSilences: [Silence] { silenceOrder.map { silences[$0]!.silence } }

    /// Routes a subject that matched `rule` (the caller evaluated the rule;
    /// the router does not). Router time `now` stamps the alert.
    public func receive(_ s: AlertSubject, rule: AlertRule, now: Date) -> RouteDecision {
        let found = existing(for: s, rule: rule, now: now)
        // Silences see the alert's severity, fixed by its first subject.
        let severity = found.flatMap { alerts[$0]?.severity } ?? rule.alertSeverity(for: s)
        let labels = RouterKeys.labels(subject: s, rule: rule.name, severity: severity)
        let hold = inhibitor(for: s) ?? silencer(labels: labels, ra: s.ra, dec: s.dec, now: now)
        if let found { return update(found, with: s, labels: labels, rule: rule, hold: hold, now: now) }
        var dedupKey = RouterKeys.dedupKey(rule: rule.name, subject: s)
        // Only a rounding coincidence could collide; keep keys unique anyway.
        var n = 2
        while alerts[dedupKey] != nil {
            dedupKey = RouterKeys.dedupKey(rule: rule.name, subject: s) + "#\(n)"
            n += 1
        }
        let key = AlertKey(
            rule: rule.name, dedupKey: dedupKey,
            groupKey: RouterKeys.groupKey(rule: rule, subject: s, severity: severity, dedupKey: dedupKey))
        let record = AlertRecord(
            key: key, kind: s.kind, observationID: s.observationID, severity: severity, ra: s.ra, dec: s.dec,
            labels: labels, count: 1, suppressedCount: hold == nil ? 0 : 1, firstSeen: now, lastSeen: now,
            firstObserved: s.time, lastObserved: s.time, suppression: hold, notifiedCount: nil,
            resolveAfter: rule.resolveAfter)
        insert(record)
        if hold == nil { join(record, rule: rule, now: now) }
        return decision(key, hold: hold) ?? .new(key)
    }

    private func decision(_ key: AlertKey, hold: Suppression?) -> RouteDecision? {
        switch hold {
        case .silenced(let id): .silenced(key, by: id)
        case .inhibited(let by): .inhibited(key, by: by)
        case nil: nil
        }
    }

    private func update(
        _ dedupKey: String, with s: AlertSubject, labels: [String: String], rule: AlertRule, hold: Suppression?,
        now: Date
    ) -> RouteDecision {
        var a = alerts[dedupKey]!
        a.count += 1
        a.lastSeen = now
        a.lastObserved = max(a.lastObserved, s.time)
        a.resolveAfter = rule.resolveAfter
        if hold != nil { a.suppressedCount += 1 }
        let wasHeld = a.suppression != nil
        if hold == nil {
            a.suppression = nil
            a.labels = labels
        }
        alerts[dedupKey] = a
        if hold == nil {
            if wasHeld { join(a, rule: rule, now: now) } else { refresh(group: a.key.groupKey, from: rule) }
        }
        return decision(a.key, hold: hold) ?? .duplicate(a.key, count: a.count)
    }

    /// The unresolved alert a subject belongs to, resolving it first if it went stale.
    private func existing(for s: AlertSubject, rule: AlertRule, now: Date) -> String? {
        var found: String?
        if s.kind == .candidate, let ra = s.ra, let dec = s.dec, ra.isFinite, dec.isFinite {
            let v = SkyVector(ra: ra, dec: dec)
            let limit = Sky.chord2(radiusArcsec: rule.dedupRadiusArcsec)
            var best = (d: Double.infinity, key: "")
            positions[rule.name]?.forEachCandidate(ra: ra, dec: dec, radiusArcsec: rule.dedupRadiusArcsec) { item in
                let d = item.vector.chord2(v)
                if d <= limit, d < best.d || (d == best.d && item.value < best.key) { best = (d, item.value) }
            }
            found = best.d.isFinite ? best.key : nil
        } else {
            let key = RouterKeys.dedupKey(rule: rule.name, subject: s)
            found = alerts[key] != nil ? key : nil
        }
        if let key = found, let a = alerts[key], let after = a.resolveAfter, now.timeIntervalSince(a.lastSeen) >= after
        {
            resolve(a.key, now: now)
            return nil
        }
        return found
    }

    private func inhibitor(for s: AlertSubject) -> Suppression? {
        guard s.kind == .candidate, let sources = dataQuality[s.observationID], let first = sources.min() else {
            return nil
        }
        return .inhibited(first)
    }

    private func silencer(labels: [String: String], ra: Double?, dec: Double?, now: Date) -> Suppression? {
        for id in silenceOrder {
            let s = silences[id]!
            if s.silence.isActive(at: now), s.covers(labels: labels, ra: ra, dec: dec) { return .silenced(id) }
        }
        return nil
    }

    func isMuted(_ a: AlertRecord, now: Date) -> Bool {
        silencer(labels: a.labels, ra: a.ra, dec: a.dec, now: now) != nil
    }

    /// Adds the record to the alert table and its indexes.
    private func insert(_ a: AlertRecord) {
        alerts[a.key.dedupKey] = a
        if a.kind == .dataQuality {
            dataQuality[a.observationID, default: []].insert(a.key.dedupKey)
        } else if let ra = a.ra, let dec = a.dec, ra.isFinite, dec.isFinite {
            positions[a.key.rule, default: SkyGrid(cellArcsec: 60)].insert(ra: ra, dec: dec, value: a.key.dedupKey)
        }
    }

    /// Puts an alert that is no longer held into its group, creating the group if needed.
    private func join(_ a: AlertRecord, rule: AlertRule, now: Date) {
        let gk = a.key.groupKey
        if groups[gk] == nil {
            groups[gk] = AlertGroup(
                key: gk, rule: rule.name, channels: rule.channels, groupWait: rule.groupWait,
                groupInterval: rule.groupInterval, repeatInterval: rule.repeatInterval, firstSeen: now,
                lastNotified: nil, notifications: 0, members: [])
        }
        // Binary search and insert in place: groups can hold thousands of alerts.
        let (i, present) = Router.find(a.key.dedupKey, in: groups[gk]!.members)
        if !present { groups[gk]!.members.insert(a.key.dedupKey, at: i) }
        refresh(group: gk, from: rule)
    }

    /// Where `key` is or would go in a sorted array (binary search).
    static func find(_ key: String, in sorted: [String]) -> (index: Int, present: Bool) {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < sorted.count && sorted[lo] == key)
    }

    /// The latest rule's channels and timings apply to its groups.
    private func refresh(group gk: String, from rule: AlertRule) {
        guard groups[gk] != nil else { return }
        groups[gk]!.channels = rule.channels
        groups[gk]!.groupWait = rule.groupWait
        groups[gk]!.groupInterval = rule.groupInterval
        groups[gk]!.repeatInterval = rule.repeatInterval
    }
}
