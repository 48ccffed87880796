import Foundation

/// What travels between stages: a versioned header and named binary frames.
///
/// On the wire (ZeroMQ multipart), part 0 is the header as UTF-8 JSON and
/// parts 1… are the frames in the order the header lists them. Pixel data
/// travel in frames, so a stage on another host needs only the message and
/// the database. The format is documented in `docs/messages.md`.
public struct Envelope: Sendable, Equatable {
    /// The envelope format's version; a stage refuses other versions.
    public static let version = 1

    /// What the message announces, e.g. `observation.ingested`.
    public var kind: MessageKind
    /// The run the work belongs to.
    public var runID: UUID
    /// Follows one observation from the file landing to the alert.
    public var traceID: UUID
    /// The observation the work is about.
    public var observationID: UUID
    /// Further ids by name (e.g. `difference_run_id`).
    public var ids: [String: String]
    /// When each stage received, committed and sent the work, in order.
    public var timestamps: [StageTimestamp]
    /// Small structured facts for the next stage, as JSON.
    public var payload: Data
    /// Binary frames: pixels, masks, stamps.
    public var frames: [Frame]

    /// An envelope; `payload` defaults to an empty JSON object.
    public init(kind: MessageKind, runID: UUID, traceID: UUID, observationID: UUID, ids: [String: String] = [:],
                timestamps: [StageTimestamp] = [], payload: Data = Data("{}".utf8), frames: [Frame] = []) {
        self.kind = kind
        self.runID = runID
        self.traceID = traceID
        self.observationID = observationID
        self.ids = ids
        self.timestamps = timestamps
        self.payload = payload
        self.frames = frames
    }

    /// The frame named `name`, or nil.
    public func frame(_ name: String) -> Frame? { frames.first { $0.name == name } }

    /// The same envelope continued by the next stage: new kind, new payload
    /// and frames, the same run, trace and observation, the timestamps kept.
    public func continued(as kind: MessageKind, payload: Data = Data("{}".utf8), frames: [Frame] = [],
                          ids: [String: String] = [:]) -> Envelope {
        Envelope(kind: kind, runID: runID, traceID: traceID, observationID: observationID,
                 ids: self.ids.merging(ids) { _, new in new }, timestamps: timestamps, payload: payload, frames: frames)
    }

    /// Appends a timestamp for `stage` and `event` at `date`.
    public mutating func stamp(_ stage: String, _ event: StageTimestamp.Event, at date: Date = Date()) {
        timestamps.append(StageTimestamp(stage: stage, event: event, at: date))
    }
}

/// What a message announces. The kinds form the chain; `docs/messages.md`
/// lists what each carries.
public struct MessageKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let ingested = MessageKind(rawValue: "observation.ingested")
    public static let preprocessed = MessageKind(rawValue: "observation.preprocessed")
    public static let differenced = MessageKind(rawValue: "observation.differenced")
    public static let extracted = MessageKind(rawValue: "observation.extracted")
    public static let embedded = MessageKind(rawValue: "observation.embedded")
    public static let scored = MessageKind(rawValue: "observation.scored")
    public static let alert = MessageKind(rawValue: "alert")
}

/// One event in a message's life at one stage.
public struct StageTimestamp: Sendable, Equatable, Codable {
    /// received: the stage got the message; committed: its transaction
    /// committed; sent: it pushed downstream. `landed` is the file arriving.
    public enum Event: String, Sendable, Codable {
        case landed, received, committed, sent
    }

    public var stage: String
    public var event: Event
    public var at: Date

    public init(stage: String, event: Event, at: Date) {
        self.stage = stage
        self.event = event
        self.at = at
    }
}
