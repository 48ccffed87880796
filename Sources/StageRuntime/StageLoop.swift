import Envelopes
import Foundation
import Logging
import Messaging
import Store

/// The blocking side of a ``StageService``: runs on its own thread and owns
/// the sockets and the database connection for its whole life.
///
/// It connects to the database (waiting while it is away), binds the input,
/// connects the outputs, and rescans at once. Then, until a stop is
/// requested, it waits up to the poll timeout for a message, handles it, and
/// rescans whenever the rescan interval has passed. The stop flag is read
/// only between items, so the item in flight always finishes (commit, send).
final class StageLoop<Worker: StageWorker> {
    let worker: Worker
    let configuration: RuntimeConfiguration
    let stop: StopSignal
    let health: StageHealth
    let metrics: StageMetrics
    let logger: Logger
    let database: DatabaseLink
    private let context: ZMQContext
    private var input: ZMQSocket?
    private(set) var outbox: Outbox?

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

    /// Runs until a stop is requested. Throws only when a socket cannot be
    /// set up (an endpoint in use, a malformed endpoint): nothing can work then.
    func run() throws {
        defer {
            database.close()
            health.set(.stopped)
        }
        guard database.connected() != nil else { return }
        try openSockets()
        logger.info("stage running", metadata: [
            "input": "\(health.snapshot.inputEndpoint ?? "none")", "outputs": "\(configuration.outputs)",
            "takes": "\(worker.inputStatus.rawValue)", "leaves": "\(worker.outputStatus.rawValue)",
        ])
        var nextRescan = ContinuousClock.now
        while !stop.isRequested {
            if ContinuousClock.now >= nextRescan {
                rescan()
                nextRescan = .now + configuration.rescanInterval
            }
            guard !stop.isRequested else { break }
            let wait = min(configuration.pollTimeout, max(nextRescan - .now, .zero))
            try receive(waitingUpTo: wait)
        }
        logger.info("stage stopped", metadata: ["done": "\(health.snapshot.itemsDone)"])
    }

    private func openSockets() throws {
        if let endpoint = configuration.input {
            let input = try ZMQSocket(.pull, context: context)
            try input.setReceiveHighWaterMark(configuration.highWaterMark)
            let bound = try input.bind(endpoint)
            health.update { $0.inputEndpoint = bound }
            self.input = input
        }
        let outbox = try Outbox(context: context, configuration: configuration, metrics: metrics)
        health.update { $0.publishEndpoint = outbox.publishEndpoint }
        self.outbox = outbox
    }

    /// Waits up to `wait` for one message and handles it.
    private func receive(waitingUpTo wait: Duration) throws {
        guard let input else {
            stop.wait(wait)
            return
        }
        let frames: [ZMQFrame]?
        do {
            frames = try input.poll(.readable, timeout: wait).isEmpty ? nil : try input.tryReceive()
        } catch let error as ZMQError where error.isInterrupted {
            return  // a signal: the caller checks the stop flag and comes back
        }
        guard let frames else { return }
        let receivedAt = Date()
        let envelope: Envelope
        do {
            envelope = try Envelope.decode(frames.map(\.data))
        } catch {
            metrics.errors.increment()
            logger.warning("dropped a message that is not a valid envelope", metadata: ["reason": "\(error)"])
            return
        }
        // A stage's configuration is its run's: a message of another run
        // (another pipeline on the same ports) is left to that run's own
        // stages, which find its item on their rescan.
        guard envelope.runID == configuration.runID else {
            metrics.errors.increment()
            logger.warning("dropped a message of another run: this instance serves run \(configuration.runID.uuidString.lowercased())",
                           metadata: ["run": "\(envelope.runID.uuidString.lowercased())",
                                      "observation": "\(envelope.observationID.uuidString.lowercased())"])
            return
        }
        let item = WorkItem(runID: envelope.runID, observationID: envelope.observationID, message: envelope)
        work(on: item, receivedAt: receivedAt, claimed: false)
    }

    /// Takes every item left at the input status whose lease is free (or
    /// expired, or this instance's own), one at a time, until none is left
    /// or a stop is requested. This is how the stage resumes unfinished work
    /// and recovers lost messages.
    private func rescan() {
        defer { health.update { $0.lastRescanAt = Date() } }
        refreshQueueDepth()
        while !stop.isRequested {
            let claimed: [UUID]?
            do {
                claimed = try database.withStore { store in
                    try store.claimNext(runID: configuration.runID, status: worker.inputStatus,
                                        owner: configuration.instance, lease: configuration.leaseDuration)
                }
            } catch {
                metrics.errors.increment()
                logger.error("rescan failed", metadata: ["error": "\(error)"])
                return
            }
            guard let id = claimed?.first else { return }
            work(on: WorkItem(runID: configuration.runID, observationID: id, message: nil), receivedAt: Date(),
                 claimed: true)
        }
    }

    private func refreshQueueDepth() {
        do {
            let depths = try database.withStore { try $0.queueDepths(runID: configuration.runID) }
            if let depths { metrics.queue.record(depths[worker.inputStatus] ?? 0) }
        } catch {
            logger.warning("could not read the queue depth", metadata: ["error": "\(error)"])
        }
    }
}
