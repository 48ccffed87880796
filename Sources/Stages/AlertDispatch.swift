import Alerting
import Delivery
import Foundation
import Logging
import StageRuntime
import Store

/// Grouped notifications into `alert_deliveries`, and the loops that
/// deliver them: one per webhook or file channel (so a slow or failing
/// channel delays only itself), and one that fires group timers
/// (`group_wait`, `group_interval`, `repeat_interval`) between items.
public enum AlertDispatch {
    /// Queues one delivery per carried alert and channel (not zeromq, which
    /// streams as alerts are raised).
    static func queue(_ notifications: [AlertNotification], rules: [ActiveRule], runID: UUID, channels: [ChannelSettings],
                      store: PipelineStore) throws {
        let ruleIDs = Dictionary(rules.map { ($0.rule.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        for n in notifications {
            guard let ruleID = ruleIDs[n.rule] else { continue }
            for channelName in n.channels {
                guard let channel = channels.first(where: { $0.name == channelName }), channel.type != "zeromq" else { continue }
                for key in n.carried {
                    try store.queueNotification(
                        alertID: AlertWrite.id(run: runID, ruleID: ruleID, dedupKey: key.dedupKey), channel: channel.type,
                        target: channel.name, notification: n.number, groupKey: n.groupKey, reason: n.reason.rawValue)
                }
            }
        }
    }

    /// The alert stage's background loops for `worker`'s settings.
    public static func loops(for worker: AlertWorker, configuration: RuntimeConfiguration, logger: Logger) -> [BackgroundLoop] {
        let interval = Duration.milliseconds(worker.settings.dispatchIntervalMilliseconds)
        var loops = [BackgroundLoop(name: "alert.groups", interval: interval, databaseURL: configuration.databaseURL,
                                    logger: logger) { store, _ in try groupTimers(worker: worker, store: store, logger: logger) }]
        for channel in worker.settings.channels where channel.type != "zeromq" {
            let deliver = channelDelivery(channel, logger: logger)
            loops.append(BackgroundLoop(name: "deliver.\(channel.name)", interval: interval,
                                        databaseURL: configuration.databaseURL, logger: logger) { store, stop in
                for d in try store.dueDeliveries(channel: channel.type, target: channel.name) where !stop.isRequested {
                    let (status, error, retry) = deliver(d)
                    try store.recordDeliveryAttempt(d.id, status: status, error: error, retryAfter: retry)
                }
            })
        }
        return loops
    }

    /// Fires the group timers of every run this process routes. The timers
    /// run on a copy of the router, which replaces it only once the
    /// notifications are queued: an alert the item loop has routed but not
    /// yet committed has no row to queue against, and then this tick is
    /// dropped whole and the next one tries again, so nothing is lost.
    static func groupTimers(worker: AlertWorker, store: PipelineStore, logger: Logger) throws {
        let expired = try store.expireStaleAlerts(notSeenFor: worker.settings.expireAfterHours * 3600, actor: "nocturne-alert")
        if expired > 0 { logger.info("\(expired) alert(s) expired, not seen for \(worker.settings.expireAfterHours) h") }
        for run in worker.hub.runs {
            let rules = try worker.book.rules(store: store, runID: run, logger: logger)
            try worker.hub.update(run: run, store: store, logger: logger) { router in
                let copy = try Router(state: router.snapshot())
                let due = copy.due(now: Date())
                guard !due.isEmpty else { return nil }
                let ruleIDs = Dictionary(rules.map { ($0.rule.name, $0.id) }, uniquingKeysWith: { a, _ in a })
                let wanted = Set(due.flatMap { n in n.carried.compactMap { k in ruleIDs[n.rule].map { AlertWrite.id(run: run, ruleID: $0, dedupKey: k.dedupKey) } } })
                guard try store.alertIdentities(Array(wanted)).count == wanted.count else { return nil }
                let state = String(decoding: try JSONEncoder().encode(copy.snapshot()), as: UTF8.self)
                try store.transaction { store in
                    try queue(due, rules: rules, runID: run, channels: worker.settings.channels, store: store)
                    try store.saveRouterState(runID: run, state: state)
                }
                return copy
            }
        }
    }

    /// One try of one delivery: its new status, error and seconds until the next try.
    static func channelDelivery(_ channel: ChannelSettings, logger: Logger)
        -> @Sendable (PendingDelivery) -> (String, String?, Double) {
        switch channel.type {
        case "file":
            let file = JSONLinesFile(path: channel.path ?? "alerts.jsonl")
            return { d in
                do {
                    try file.append(jsonObject: Data(d.body.utf8))
                    return ("delivered", nil, 0)
                } catch {
                    return d.attempts + 1 >= 5 ? ("failed", "\(error)", 0) : ("pending", "\(error)", 5)
                }
            }
        default:
            let secret = channel.secretEnv.flatMap { ProcessInfo.processInfo.environment[$0] }
            let target = WebhookTarget(name: channel.name, url: channel.url ?? "", secret: secret,
                                       timeoutSeconds: channel.timeoutSeconds ?? 5, maxAttempts: channel.maxAttempts ?? 5,
                                       backoffSeconds: channel.backoffSeconds ?? 1, headers: [:])
            let client = WebhookClient()
            return { d in
                let attempt = d.attempts + 1
                switch client.post(Data(d.body.utf8), to: target, attempt: attempt) {
                case .delivered: return ("delivered", nil, 0)
                case .failed(let error): return ("failed", error, 0)
                case .retry(let error):
                    guard attempt < target.maxAttempts else { return ("failed", error, 0) }
                    return ("pending", error, target.backoff(afterAttempt: attempt).seconds)
                }
            }
        }
    }
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
