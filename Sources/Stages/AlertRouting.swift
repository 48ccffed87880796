import Alerting
import Envelopes
import Foundation
import Logging
import Store

/// The alert stage's routers, one per run, shared by the item loop and the
/// group-timer loop (one lock; the work under it is in memory). Each is
/// restored from `alert_router_state` when first used, so a restarted
/// stage goes on with its groups, timers and dedup positions.
final class RouterHub: @unchecked Sendable {
    // @unchecked: `entries` is only touched with `lock` held.
    private final class Entry {
        var router: Router
        let history = InMemoryMatchHistory()
        init(router: Router) { self.router = router }
    }

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]

    /// Runs `body` on the run's router and match history, under the lock.
    func with<T>(run: UUID, store: PipelineStore, logger: Logger,
                 _ body: (Router, InMemoryMatchHistory) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if entries[run] == nil {
            var router = Router()
            if let saved = try store.routerState(runID: run),
               let state = try? JSONDecoder().decode(RouterState.self, from: Data(saved.utf8)) {
                do { router = try Router(state: state) } catch { logger.warning("alert router state of run \(run) is unusable: \(error)") }
            }
            entries[run] = Entry(router: router)
        }
        let entry = entries[run]!
        return try body(entry.router, entry.history)
    }

    /// Runs `body` on the run's router under the lock; a router it returns
    /// replaces the run's (for work done on a copy that must commit first).
    func update(run: UUID, store: PipelineStore, logger: Logger, _ body: (Router) throws -> Router?) throws {
        try with(run: run, store: store, logger: logger) { router, _ in
            if let replacement = try body(router) { entries[run]!.router = replacement }
        }
    }

    /// The runs with a router in this process.
    var runs: [UUID] {
        lock.lock()
        defer { lock.unlock() }
        return entries.keys.sorted { $0.uuidString < $1.uuidString }
    }

    /// Brings the router in line with the database: live silences (added,
    /// or expired when gone) and alerts operators resolved.
    static func sync(_ router: Router, silences: [StoredSilence], closed: [(rule: String, dedupKey: String, groupKey: String)],
                     alertKeys: [UUID: AlertKey], now: Date, logger: Logger) {
        let live = Set(silences.map { $0.id.uuidString.lowercased() })
        for s in router.allSilences where !live.contains(s.id) { _ = router.expireSilence(id: s.id, now: now) }
        let known = Set(router.allSilences.map(\.id))
        for s in silences where !known.contains(s.id.uuidString.lowercased()) {
            do { try router.addSilence(try silence(s, alertKeys: alertKeys)) } catch {
                logger.warning("silence \(s.id) cannot be applied: \(error)")
            }
        }
        for c in closed where router.alert(c.dedupKey) != nil {
            _ = router.resolve(AlertKey(rule: c.rule, dedupKey: c.dedupKey, groupKey: c.groupKey), now: now)
        }
    }

    /// A stored silence as the router's.
    static func silence(_ s: StoredSilence, alertKeys: [UUID: AlertKey]) throws -> Silence {
        let matchers = (try? ExactJSON.object(from: s.matchers)) as? [[String: String]] ?? []
        let region = (s.region.flatMap { try? ExactJSON.object(from: $0) }) as? [String: Double]
        return Silence(
            id: s.id.uuidString.lowercased(),
            matchers: try matchers.map { m in
                try SilenceMatcher(parsing: "\(m["field"] ?? "")\(m["op"] ?? "=")\(m["value"] ?? "")")
            },
            region: try region.map { try SkyCone(ra: $0["ra"] ?? 0, dec: $0["dec"] ?? 0, radiusArcsec: $0["radius_arcsec"] ?? 0) },
            startsAt: s.startsAt, endsAt: s.endsAt, untilResolved: s.untilAlertID.flatMap { alertKeys[$0] },
            createdBy: s.createdBy, comment: s.comment)
    }
}

extension AlertNotification {
    /// The alerts this notification carries: all active ones for a
    /// reminder (`repeat_interval`), else the new ones. An alert whose count
    /// grew is not sent again for that: its count is in the database and in
    /// the next reminder, so a receiver gets each alert once per interval.
    var carried: [AlertKey] { reason == .repeated ? activeAlerts : newAlerts }
}
