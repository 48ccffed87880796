import Foundation
import Logging
import Messaging
import Store

/// The blocking side of a ``SourceService``: polls the worker every poll
/// interval and commits and sends what it finds, one item at a time.
///
/// Each result commits in its own transaction, together with its progress
/// row (registered here too, idempotently, in case the worker's writes did
/// not), and its messages leave only after that commit. A stop is honoured
/// between polls: every result of the poll in hand is committed and sent
/// first.
final class SourceLoop<Worker: SourceWorker> {
    let worker: Worker
    let configuration: RuntimeConfiguration
    let stop: StopSignal
    let health: StageHealth
    let metrics: StageMetrics
    let logger: Logger
    let database: DatabaseLink
    private let context: ZMQContext
    private var outbox: Outbox?
    /// Consecutive failed polls, for the backoff between them.
    private var pollFailures = 0

    init(worker: Worker, configuration: RuntimeConfiguration, stop: StopSignal, health: StageHealth,
         logger: Logger) throws {
        self.worker = worker
        self.configuration = configuration
        self.stop = stop
        self.health = health
        self.logger = logger
        metrics = StageMetrics(stage: worker.name)
        database = DatabaseLink(configuration: configuration, stop: stop, health: health, metrics: metrics, logger: logger)
        context = try ZMQContext()
    }

    /// Runs until a stop is requested; throws only when a socket cannot be set up.
    func run() throws {
        defer {
            database.close()
            health.set(.stopped)
        }
        guard database.connected() != nil else { return }
        let outbox = try Outbox(context: context, configuration: configuration, metrics: metrics)
        health.update { $0.publishEndpoint = outbox.publishEndpoint }
        self.outbox = outbox
        logger.info("source running", metadata: ["outputs": "\(configuration.outputs)"])
        while !stop.isRequested {
            let wait = pollOnce()
            if worker.isExhausted {
                logger.info("source exhausted: every item it was given is committed")
                break
            }
            if stop.wait(wait) { break }
        }
        logger.info("source stopped", metadata: ["done": "\(health.snapshot.itemsDone)"])
    }

    /// Polls once and commits what it found. Returns how long to wait
    /// before the next poll: the poll interval, or a growing backoff while
    /// polls keep failing.
    private func pollOnce() -> Duration {
        let results: [SourceResult]?
        do {
            results = try database.withStore { store in
                try worker.poll(context: WorkContext(store: store, archive: configuration.archive, logger: logger,
                                                     instance: configuration.instance))
            }
            pollFailures = 0
        } catch {
            pollFailures += 1
            metrics.errors.increment()
            let delay = Backoff(base: configuration.retryBackoff, maximum: configuration.maximumBackoff)
                .delay(afterFailures: pollFailures)
            logger.warning("poll failed; polling again in \(max(delay, configuration.pollTimeout))",
                           metadata: ["error": "\(error)"])
            return max(delay, configuration.pollTimeout)
        }
        for result in results ?? [] { commit(result) }
        return configuration.pollTimeout
    }

    /// Commits one result (retrying as a stage retries an item) and sends
    /// its messages.
    private func commit(_ found: SourceResult) {
        var log = logger
        if let id = found.observationID { log[metadataKey: "observation"] = "\(id)" }
        if let trace = found.result.downstream.first?.traceID { log[metadataKey: "trace"] = "\(trace)" }
        var attempts = ItemAttempts(
            maxAttempts: configuration.maxAttempts,
            backoff: Backoff(base: configuration.retryBackoff, maximum: configuration.maximumBackoff))
        while let store = database.connected() {
            let started = ContinuousClock.now
            do {
                try store.transaction { store in
                    try found.result.persist(store)
                    if let id = found.observationID {
                        try store.registerProgress(runID: configuration.runID, observationID: id)
                    }
                }
                return sent(found, started: started, log: log)
            } catch {
                switch attempts.failed(connectionLost: DatabaseLink.isConnectionFailure(error)) {
                case .reconnect:
                    database.lost(error)
                case .retry(let delay):
                    metrics.errors.increment()
                    log.warning("commit attempt \(attempts.failures) of \(configuration.maxAttempts) failed; retrying in \(delay)",
                                metadata: ["error": "\(error)"])
                    stop.wait(delay)  // a stop does not abandon a result in hand
                case .giveUp:
                    metrics.errors.increment()
                    metrics.failed.increment()
                    health.update {
                        $0.itemsFailed += 1
                        $0.lastItemAt = Date()
                    }
                    return log.error("could not commit a found item after \(configuration.maxAttempts) attempts",
                                     metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func sent(_ found: SourceResult, started: ContinuousClock.Instant, log: Logger) {
        let committedAt = Date()
        outbox?.send(found.result.downstream, stage: worker.name, receivedAt: nil, committedAt: committedAt, logger: log)
        outbox?.publish(found.result.published, logger: log)
        metrics.duration.record(duration: ContinuousClock.now - started)
        metrics.done.increment()
        health.update {
            $0.itemsDone += 1
            $0.lastItemAt = Date()
        }
        var metadata: Logger.Metadata = ["sent": "\(found.result.downstream.count)"]
        for (name, count) in found.result.counts { metadata[name] = "\(count)" }
        log.info("item registered", metadata: metadata)
    }
}
