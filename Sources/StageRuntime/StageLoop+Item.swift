import Envelopes
import Foundation
import Logging
import Store

/// The commit found that another instance took the item over (this
/// instance's lease had expired), so its transaction rolled back.
struct LeaseLost: Error, CustomStringConvertible {
    var description: String { "the lease expired and another instance took the item over" }
}

extension StageLoop {
    /// Processes one item to its end: done, failed, or skipped.
    ///
    /// - Parameters:
    ///   - receivedAt: when its message arrived, or when the rescan found it.
    ///   - claimed: whether the caller already holds its lease (the rescan
    ///     does); a message's item is claimed here first.
    func work(on item: WorkItem, receivedAt: Date, claimed alreadyClaimed: Bool) {
        let log = logger(for: item)
        var attempts = ItemAttempts(
            maxAttempts: configuration.maxAttempts,
            backoff: Backoff(base: configuration.retryBackoff, maximum: configuration.maximumBackoff))
        var claimed = alreadyClaimed
        while let store = database.connected() {
            do {
                if !claimed {
                    guard try claim(item, store: store) else {
                        return skipped(item, log: log, "already done, or another instance has it")
                    }
                    claimed = true
                }
                return try attempt(item, store: store, receivedAt: receivedAt, log: log)
            } catch is LeaseLost {
                return skipped(item, log: log, "\(LeaseLost())")
            } catch let wait as WorkNotReady {
                return postpone(item, wait, log: log)
            } catch {
                switch attempts.failed(connectionLost: DatabaseLink.isConnectionFailure(error)) {
                case .reconnect:
                    database.lost(error)
                    claimed = false  // re-claim once back: it refreshes the lease, or finds the item done
                case .retry(let delay):
                    retrying(item, after: error, delay: delay, failures: attempts.failures, log: log)
                    if stop.wait(delay) { return release(item, log: log) }
                    claimed = false
                case .giveUp:
                    return fail(item, error: error, log: log)
                }
            }
        }
    }

    private func claim(_ item: WorkItem, store: PipelineStore) throws -> Bool {
        try store.claim(runID: item.runID, observationID: item.observationID, status: worker.inputStatus,
                        owner: configuration.instance, lease: configuration.leaseDuration)
    }

    /// One try: process, then one transaction with the result's writes and
    /// the item's advance, then the messages, which leave only after the commit.
    private func attempt(_ item: WorkItem, store: PipelineStore, receivedAt: Date, log: Logger) throws {
        let started = ContinuousClock.now
        let context = WorkContext(store: store, archive: configuration.archive, logger: log,
                                  instance: configuration.instance)
        let result = try worker.process(item, context: context)
        try store.transaction { store in
            try result.persist(store)
            guard try store.complete(runID: item.runID, observationID: item.observationID,
                                     status: worker.outputStatus, owner: configuration.instance)
            else { throw LeaseLost() }
        }
        let committedAt = Date()
        outbox?.send(result.downstream, stage: worker.name, receivedAt: receivedAt, committedAt: committedAt, logger: log)
        outbox?.publish(result.published, logger: log)
        metrics.duration.record(duration: ContinuousClock.now - started)
        metrics.done.increment()
        health.update {
            $0.itemsDone += 1
            $0.lastItemAt = Date()
        }
        var metadata: Logger.Metadata = ["status": "\(worker.outputStatus.rawValue)", "sent": "\(result.downstream.count)"]
        for (name, count) in result.counts { metadata[name] = "\(count)" }
        log.info("item done", metadata: metadata)
    }

    private func skipped(_ item: WorkItem, log: Logger, _ reason: String) {
        metrics.skipped.increment()
        health.update { $0.itemsSkipped += 1 }
        log.info("item skipped: \(reason)")
    }

    private func retrying(_ item: WorkItem, after error: any Error, delay: Duration, failures: Int, log: Logger) {
        metrics.errors.increment()
        log.warning("attempt \(failures) of \(configuration.maxAttempts) failed; retrying in \(delay)",
                    metadata: ["error": "\(error)"])
        do {
            _ = try database.withStore {
                try $0.recordAttempt(runID: item.runID, observationID: item.observationID, error: "\(error)")
            }
        } catch {
            log.warning("could not record the failed attempt", metadata: ["error": "\(error)"])
        }
    }

    private func fail(_ item: WorkItem, error: any Error, log: Logger) {
        metrics.errors.increment()
        do {
            let marked = try database.withStore {
                try $0.fail(runID: item.runID, observationID: item.observationID, stage: worker.name, error: "\(error)",
                            owner: configuration.instance)
            }
            guard let marked else { return }  // stopping while the database is away: the lease runs out
            // Our lease ran out and another instance has the item: it is theirs to finish or fail.
            guard marked else { return skipped(item, log: log, "\(LeaseLost())") }
        } catch {
            log.error("could not mark the item failed", metadata: ["error": "\(error)"])
            return
        }
        metrics.failed.increment()
        health.update {
            $0.itemsFailed += 1
            $0.lastItemAt = Date()
        }
        log.error("item failed after \(configuration.maxAttempts) attempts", metadata: ["error": "\(error)"])
    }

    /// Gives the item back when stopping between tries, so another instance
    /// can take it at once rather than after the lease.
    /// Gives the item back without counting a try, for one second (so the
    /// rescan goes on to other items); a later rescan takes it again.
    private func postpone(_ item: WorkItem, _ wait: WorkNotReady, log: Logger) {
        _ = try? database.withStore {
            try $0.postpone(runID: item.runID, observationID: item.observationID, owner: configuration.instance, seconds: 1)
        }
        metrics.skipped.increment()
        log.info("item postponed: \(wait.reason)")
    }

    private func release(_ item: WorkItem, log: Logger) {
        _ = try? database.withStore {
            try $0.release(runID: item.runID, observationID: item.observationID, owner: configuration.instance)
        }
        log.info("stopping between attempts; released the item")
    }

    /// The loop's logger with the item's observation and trace.
    func logger(for item: WorkItem) -> Logger {
        var log = logger
        log[metadataKey: "observation"] = "\(item.observationID)"
        if item.runID != configuration.runID { log[metadataKey: "run"] = "\(item.runID)" }
        if let trace = item.message?.traceID { log[metadataKey: "trace"] = "\(trace)" }
        return log
    }
}
