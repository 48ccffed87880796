import Envelopes
import Foundation
import Logging
import Messaging

/// The loop's outgoing sockets: one PUSH connected to every instance of the
/// next stage, and an optional PUB for subscribers. Owned by the loop thread.
///
/// The PUSH socket queues at most ``RuntimeConfiguration/highWaterMark``
/// messages per peer, only to peers whose connection is up (`ZMQ_IMMEDIATE`,
/// so work is not parked on an instance that is down), and waits at most
/// ``RuntimeConfiguration/sendTimeout`` for room. A message it gives up on is
/// logged and left to the next stage's rescan: the database already holds
/// the work. On close it lingers up to the send timeout, so messages queued
/// just before a shutdown still leave.
final class Outbox {
    private let push: ZMQSocket?
    private let pub: ZMQSocket?
    private let metrics: StageMetrics
    /// The endpoint the PUB socket bound, if any.
    let publishEndpoint: String?
    private var warnedNoOutput = false
    private var warnedNoPublish = false

    init(context: ZMQContext, configuration: RuntimeConfiguration, metrics: StageMetrics) throws {
        self.metrics = metrics
        if configuration.outputs.isEmpty {
            push = nil
        } else {
            let push = try ZMQSocket(.push, context: context)
            try push.setSendHighWaterMark(configuration.highWaterMark)
            try push.setSendTimeout(configuration.sendTimeout)
            try push.setImmediate(true)
            try push.setLinger(configuration.sendTimeout)
            for output in configuration.outputs { try push.connect(output) }
            self.push = push
        }
        if let endpoint = configuration.publish {
            let pub = try ZMQSocket(.pub, context: context)
            try pub.setSendHighWaterMark(max(configuration.highWaterMark, 100))
            publishEndpoint = try pub.bind(endpoint)
            self.pub = pub
        } else {
            pub = nil
            publishEndpoint = nil
        }
    }

    /// Stamps each envelope `received` (unless nil: a source receives
    /// nothing), `committed` and `sent` for `stage`, and pushes it on.
    func send(_ envelopes: [Envelope], stage: String, receivedAt: Date?, committedAt: Date, logger: Logger) {
        guard !envelopes.isEmpty else { return }
        guard let push else {
            if !warnedNoOutput {
                logger.warning("the worker returned messages but no --output is configured; dropping them")
                warnedNoOutput = true
            }
            return
        }
        for var envelope in envelopes {
            if let receivedAt { envelope.stamp(stage, .received, at: receivedAt) }
            envelope.stamp(stage, .committed, at: committedAt)
            envelope.stamp(stage, .sent, at: Date())
            deliver(envelope.kind.rawValue, on: push, logger: logger) { try envelope.encoded() }
        }
    }

    /// Publishes on the PUB socket; PUB drops rather than waits when a
    /// subscriber is slow, so this never blocks.
    func publish(_ publications: [Publication], logger: Logger) {
        guard !publications.isEmpty else { return }
        guard let pub else {
            if !warnedNoPublish {
                logger.warning("the worker returned publications but no --publish endpoint is configured; dropping them")
                warnedNoPublish = true
            }
            return
        }
        for publication in publications {
            deliver(publication.topic, on: pub, logger: logger) { try publication.encoded() }
        }
    }

    private func deliver(_ what: String, on socket: ZMQSocket, logger: Logger, _ parts: () throws -> [Data]) {
        do {
            let frames = try parts().map(ZMQOutgoingFrame.data)
            var sent = false
            // A signal during the wait sends nothing; try again once it is handled.
            while true {
                do {
                    sent = try socket.send(frames)
                    break
                } catch let error as ZMQError where error.isInterrupted {
                    continue
                }
            }
            if !sent {
                metrics.errors.increment()
                logger.warning("""
                    gave up sending \(what): no room at the next stage within the send timeout; \
                    its rescan will find the work in the database
                    """)
            }
        } catch {
            metrics.errors.increment()
            logger.error("could not send \(what): \(error)")
        }
    }
}
