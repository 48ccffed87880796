import Alerting
import Envelopes
import Foundation
import Logging
import Metrics
import StageRuntime
import Store

/// `nocturne-alert`: evaluates the active rules (`alert_rules`, from
/// `config/rules/`, reloaded when they change) on every scored candidate of
/// an observation and on the observation itself (data quality); the router
/// deduplicates by rule and position, applies silences and inhibition, and
/// groups notifications (docs/alerts.md).
///
/// Each alert is written to `alerts` in the item's transaction. The
/// `zeromq` channel streams each new alert (not silenced or inhibited) on
/// the PUB socket, topic `alert.<severity>.<rule>`, after the commit;
/// webhook and file channels get grouped notifications queued in
/// `alert_deliveries`, which their own dispatcher threads deliver
/// (``AlertDispatch``), so a failing channel holds up nothing else.
public final class AlertWorker: StageWorker {
    public let name = "alert"
    public let inputStatus = ProgressStatus.scored
    public let outputStatus = ProgressStatus.alerted
    let settings: AlertSettings
    let book = RuleBook()
    let hub = RouterHub()
    private let latency = Metrics.Timer(label: "nocturne_landing_to_alert_seconds")

    public init(settings: AlertSettings) {
        self.settings = settings
    }

    public func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let store = context.store
        if settings.inDateOrder {
            let waiting = try store.earlierUnfinished(runID: item.runID, observationID: item.observationID)
            guard waiting == 0 else { throw WorkNotReady("\(waiting) earlier observation(s) not yet alerted") }
        }
        let rules = try activeRules(store: store, runID: item.runID, context: context)
        let observation = try store.alertContext(runID: item.runID, observationID: item.observationID)
        let scored = try store.scoredCandidates(runID: item.runID, observationID: item.observationID)
        let now = Date()
        let routed = try route(item: item, rules: rules, observation: observation, scored: scored, store: store,
                               logger: context.logger, now: now)
        let stamps = routed.writes.contains { $0.isNewCandidate }
            ? Dictionary(uniqueKeysWithValues: try store.candidates(runID: item.runID, observationID: item.observationID,
                                                                    stamps: .all).map { ($0.id, $0) }) : [:]
        let landed = item.message?.timestamps.first { $0.event == .landed }?.at
        let timestamps = (item.message?.timestamps ?? []).map {
            ["stage": $0.stage, "event": $0.event.rawValue, "at": ISO8601DateFormatter.withFractions.string(from: $0.at)] as [String: Any]
        }
        var records: [(Store.AlertRecord, AlertWrite)] = []
        var publications: [Publication] = []
        for write in routed.writes {
            let record = write.record(item: item, observation: observation, stamps: stamps, timestamps: timestamps,
                                      latency: landed.map { now.timeIntervalSince($0) })
            records.append((record, write))
            guard write.isNew, write.suppression == nil, streams(write.rule) else { continue }
            var envelope = item.nextMessage(kind: .alert, payload: record.payload, ids: ["alert": record.id.uuidString],
                                            frames: write.candidate.map { AlertWorker.stampFrames(stamps[$0.candidateID]) } ?? [])
            envelope.stamp(name, .sent)
            publications.append(Publication(topic: "alert.\(record.severity).\(write.rule.rule.name)", envelope: envelope))
        }
        if let landed, !publications.isEmpty { latency.recordNanoseconds(Int64(now.timeIntervalSince(landed) * 1e9)) }
        let (runID, state, notifications, endpoint) = (item.runID, routed.state, routed.notifications, "pub")
        let channels = settings.channels
        let written = records
        let streamed = Set(rules.filter(streams).map(\.rule.name))
        return WorkResult(persist: { store in
            for (record, write) in written {
                try store.upsertAlert(record, runID: runID, kind: write.kind, count: write.count,
                                      suppression: write.suppressionKind, suppressedBy: write.suppression)
                if write.isNew, write.suppression == nil, streamed.contains(write.rule.rule.name) {
                    try store.queueNotification(alertID: record.id, channel: "zeromq", target: endpoint, notification: 1,
                                                groupKey: write.key.groupKey, reason: "raised", status: "sent")
                }
            }
            try AlertDispatch.queue(notifications, rules: rules, runID: runID, channels: channels, store: store)
            try store.saveRouterState(runID: runID, state: state)
        }, downstream: [], counts: ["alerts": records.filter { $0.1.isNew }.count], published: publications)
    }

    /// Whether the rule names a configured zeromq channel (none with
    /// `--dry-run-delivery`, whose config has no channels).
    func streams(_ rule: ActiveRule) -> Bool {
        settings.channels.contains { $0.type == "zeromq" && rule.rule.channels.contains($0.name) }
    }

    /// The item's run's rules: its pinned ones, or the active rules (the rule
    /// files applied first when there are none).
    func activeRules(store: PipelineStore, runID: UUID, context: WorkContext) throws -> [ActiveRule] {
        if let pinned = try book.pinnedRules(store: store, runID: runID, logger: context.logger) { return pinned }
        if try store.activeRules().isEmpty {
            let directory = try RuleFiles.directory(settings)
            context.logger.info("no active alert rules: applying \(directory.path)")
            _ = try RuleFiles.apply(directory, store: store, actor: context.instance)
        }
        return try book.rules(store: store, runID: runID, logger: context.logger)
    }

    /// The router's decisions for the observation's subjects, and the
    /// notifications now due.
    func route(item: WorkItem, rules: [ActiveRule], observation: AlertContext, scored: [ScoredCandidate],
               store: PipelineStore, logger: Logger, now: Date) throws
        -> (writes: [AlertWrite], notifications: [AlertNotification], state: String) {
        let silences = try store.liveSilences(at: now)
        let tied = try store.alertIdentities(silences.compactMap(\.untilAlertID)).mapValues {
            AlertKey(rule: $0.rule, dedupKey: $0.dedupKey, groupKey: $0.groupKey)
        }
        let closed = try store.closedAlertKeys(runID: item.runID)
        let subjects = AlertSubjects.make(item: item, observation: observation, scored: scored)
        return try hub.with(run: item.runID, store: store, logger: logger) { router, history in
            RouterHub.sync(router, silences: silences, closed: closed, alertKeys: tied, now: now, logger: logger)
            var writes: [AlertWrite] = []
            for (subject, candidate) in subjects {
                let prepared = PreparedSubject(subject)
                for rule in rules where rule.rule.matches(prepared, history: history) {
                    let decision = router.receive(subject, rule: rule.rule, now: now)
                    let count = router.alert(decision.key.dedupKey)?.count ?? 1
                    writes.append(AlertWrite(decision: decision, rule: rule, subject: subject, candidate: candidate,
                                             count: count, severity: rule.rule.alertSeverity(for: subject).rawValue))
                }
            }
            let state = try JSONEncoder().encode(router.snapshot())
            return (writes, router.due(now: now), String(decoding: state, as: UTF8.self))
        }
    }

    /// The science, reference and difference stamps as float frames.
    static func stampFrames(_ c: CandidateRecord?) -> [Frame] {
        guard let c, c.stampSize > 0 else { return [] }
        let layout = Frame.Layout.float32(width: c.stampSize, height: c.stampSize)
        return [Frame(name: "stamp.science", layout: layout, data: c.stampScience),
                Frame(name: "stamp.reference", layout: layout, data: c.stampReference),
                Frame(name: "stamp.difference", layout: layout, data: c.stampDifference)]
    }
}

extension ISO8601DateFormatter {
    /// ISO 8601 with milliseconds.
    static var withFractions: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
