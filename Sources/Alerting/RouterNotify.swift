import Foundation

extension Router {
    /// Marks an alert resolved: it leaves its group (an empty group is
    /// dropped), stops inhibiting, and silences tied to it
    /// (`untilResolved`) end now. Returns false if it was not unresolved.
    @discardableResult
    public func resolve(_ key: AlertKey, now: Date) -> Bool {
        guard let a = alerts.removeValue(forKey: key.dedupKey) else { return false }
        if a.kind == .dataQuality {
            dataQuality[a.observationID]?.remove(a.key.dedupKey)
            if dataQuality[a.observationID]?.isEmpty == true { dataQuality[a.observationID] = nil }
        } else if let ra = a.ra, let dec = a.dec, ra.isFinite, dec.isFinite {
            positions[a.key.rule]?.remove(ra: ra, dec: dec) { $0 == a.key.dedupKey }
        }
        let gk = a.key.groupKey
        if groups[gk] != nil {
            let (i, present) = Router.find(a.key.dedupKey, in: groups[gk]!.members)
            if present { groups[gk]!.members.remove(at: i) }
            if groups[gk]!.members.isEmpty { groups[gk] = nil }
        }
        for id in silenceOrder where silences[id]!.silence.untilResolved?.dedupKey == a.key.dedupKey {
            let s = silences[id]!.silence
            if s.isActive(at: now) || (s.endsAt == nil) { silences[id]!.silence.endsAt = now }
        }
        return true
    }

    /// Adds a silence, or replaces the one with the same id. Refused: no id,
    /// no matcher and no region, unknown matcher name, bad regex, no end
    /// (`endsAt` or `untilResolved`), an end before the start, or
    /// `untilResolved` naming an alert that is not unresolved.
    public func addSilence(_ silence: Silence) throws(SilenceError) {
        let compiled = try CompiledSilence(silence)
        if let k = silence.untilResolved, alerts[k.dedupKey] == nil {
            throw SilenceError(message: "silence '\(silence.id)': alert '\(k.dedupKey)' is not unresolved")
        }
        if silences.updateValue(compiled, forKey: silence.id) == nil {
            let i = silenceOrder.firstIndex { $0 > silence.id } ?? silenceOrder.endIndex
            silenceOrder.insert(silence.id, at: i)
        }
    }

    /// Ends a silence now (it stays listed, for the record). Returns false if
    /// there is no such silence or it had already ended.
    @discardableResult
    public func expireSilence(id: String, now: Date) -> Bool {
        guard let s = silences[id]?.silence else { return false }
        if let end = s.endsAt, end <= now { return false }
        silences[id]!.silence.endsAt = now
        return true
    }

    /// Resolves alerts whose `resolve_after` passed without a new subject.
    func resolveStale(now: Date) {
        let stale = alerts.values.filter { a in a.resolveAfter.map { now.timeIntervalSince(a.lastSeen) >= $0 } ?? false
        }
        for a in stale.sorted(by: { $0.key < $1.key }) { resolve(a.key, now: now) }
    }

    /// The notifications due at router time `now`, sorted by group key.
    /// Each lists the group's alerts that are neither held nor muted by a
    /// silence; a group whose alerts are all muted sends nothing (and keeps
    /// its changes for later).
    public func due(now: Date) -> [AlertNotification] {
        resolveStale(now: now)
        var out: [AlertNotification] = []
        for gk in groups.keys.sorted() {
            if let n = notify(group: gk, now: now) { out.append(n) }
        }
        return out
    }

    private func notify(group gk: String, now: Date) -> AlertNotification? {
        var g = groups[gk]!
        let visible = g.members.compactMap { alerts[$0] }.filter { !isMuted($0, now: now) }
        guard !visible.isEmpty else { return nil }
        let fresh = visible.filter { $0.notifiedCount == nil }
        let grown = visible.filter { a in a.notifiedCount.map { a.visibleCount > $0 } ?? false }
        guard now >= Router.nextTime(g, changed: !fresh.isEmpty || !grown.isEmpty) else { return nil }
        let reason: AlertNotification.Reason =
            g.notifications == 0 ? .initial : (fresh.isEmpty && grown.isEmpty ? .repeated : .changed)
        var sent: [AlertRecord] = []
        for var a in visible {
            a.notifiedCount = a.visibleCount
            alerts[a.key.dedupKey] = a
            sent.append(a)
        }
        g.notifications += 1
        g.lastNotified = now
        groups[gk] = g
        return AlertNotification(
            groupKey: gk, rule: g.rule, number: g.notifications, reason: reason, channels: g.channels, time: now,
            newAlerts: fresh.map(\.key), updatedAlerts: grown.map(\.key), activeAlerts: sent.map(\.key), alerts: sent)
    }

    /// When a group may notify next: start + wait before the first
    /// notification, then last + interval if it changed, else last + repeat.
    static func nextTime(_ g: AlertGroup, changed: Bool) -> Date {
        guard let last = g.lastNotified, g.notifications > 0 else { return g.firstSeen.addingTimeInterval(g.groupWait) }
        return last.addingTimeInterval(changed ? g.groupInterval : g.repeatInterval)
    }

    /// The earliest router time after a ``due(now:)`` call at `now` at which
    /// `due` may return something, for scheduling the next call; nil when
    /// nothing is pending. Groups muted entirely by silences count from the
    /// next time a silence starts or ends.
    public func nextDue(now: Date) -> Date? {
        var times: [Date] = []
        for g in groups.values {
            let visible = g.members.compactMap { alerts[$0] }.filter { !isMuted($0, now: now) }
            guard !visible.isEmpty else { continue }
            let changed = visible.contains { a in a.notifiedCount.map { a.visibleCount > $0 } ?? true }
            times.append(Router.nextTime(g, changed: changed))
        }
        if times.count < groups.count {
            for id in silenceOrder {
                let s = silences[id]!.silence
                times += [s.startsAt, s.endsAt].compactMap { $0 }.filter { $0 > now }
            }
        }
        return times.min()
    }
}
