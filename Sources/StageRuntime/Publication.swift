import Envelopes
import Foundation

/// A message for subscribers (operators' tools, dashboards, webhooks), sent on
/// the stage's PUB socket after the item's transaction commits.
///
/// On the wire it is a multipart message: part 0 is the topic as UTF-8, then
/// the envelope's parts (header JSON, frames). Subscribers filter on the
/// topic's prefix, e.g. `alert` for every alert or `alert.critical` for one
/// severity, since ZeroMQ matches subscriptions against the first part.
///
/// PUB/SUB never blocks and never queues for absent subscribers: a
/// subscriber that is not connected misses what is published meanwhile. The
/// database (`alerts`) stays the record; publications are notifications.
public struct Publication: Sendable, Equatable {
    /// What subscribers filter on; by default the envelope's kind.
    public var topic: String
    /// The message itself.
    public var envelope: Envelope

    /// A publication of `envelope` under `topic` (default: its kind).
    public init(topic: String? = nil, envelope: Envelope) {
        self.topic = topic ?? envelope.kind.rawValue
        self.envelope = envelope
    }

    /// The parts to send: the topic, then the envelope's parts.
    public func encoded() throws -> [Data] {
        [Data(topic.utf8)] + (try envelope.encoded())
    }

    /// Reads a publication a SUB socket received.
    /// - Throws: ``RuntimeError`` for a message with no parts, `EnvelopeError`
    ///   for a bad envelope.
    public static func decode(_ parts: [Data]) throws -> Publication {
        guard let topic = parts.first else { throw RuntimeError.badPublication("a publication has no topic part") }
        return Publication(topic: String(decoding: topic, as: UTF8.self), envelope: try Envelope.decode(Array(parts.dropFirst())))
    }
}
