import Envelopes
import Foundation
import Imaging
import Pixels
import StageRuntime

/// How images travel between stages: a masked image is three frames named
/// `<prefix>`, `<prefix>.variance` and `<prefix>.mask`, so a stage on
/// another host needs no shared disk.
enum Frames {
    /// The frames of a masked image.
    static func masked(_ prefix: String, _ image: MaskedImage) -> [Frame] {
        [.image(prefix, image.image), .image("\(prefix).variance", image.variance),
         .bytes("\(prefix).mask", width: image.mask.width, height: image.mask.height, image.mask.pixels.map(\.rawValue))]
    }

    /// A masked image back from its frames; nil when any is missing or malformed.
    static func masked(_ prefix: String, in envelope: Envelope) -> MaskedImage? {
        guard let image = envelope.frame(prefix)?.floatImage(),
              let variance = envelope.frame("\(prefix).variance")?.floatImage(),
              let mask = envelope.frame("\(prefix).mask")?.byteImage(),
              variance.width == image.width, mask.width == image.width, mask.height == image.height
        else { return nil }
        let bits = Image(width: mask.width, height: mask.height, pixels: mask.values.map { MaskBits(rawValue: $0) })
        return MaskedImage(image: image, variance: variance, mask: bits)
    }

    /// A mask as a byte frame.
    static func mask(_ name: String, _ mask: Image<MaskBits>) -> Frame {
        .bytes(name, width: mask.width, height: mask.height, mask.pixels.map(\.rawValue))
    }

    /// A mask back from its frame.
    static func mask(_ name: String, in envelope: Envelope) -> Image<MaskBits>? {
        guard let mask = envelope.frame(name)?.byteImage() else { return nil }
        return Image(width: mask.width, height: mask.height, pixels: mask.values.map { MaskBits(rawValue: $0) })
    }

    /// A float image from a frame, or a thrown error naming what is missing.
    static func require(_ name: String, in envelope: Envelope) throws -> Image<Float> {
        guard let image = envelope.frame(name)?.floatImage() else {
            throw StageError("message \(envelope.kind) for observation \(envelope.observationID) lacks frame '\(name)'")
        }
        return image
    }
}

/// Small JSON helpers for payloads and JSONB columns: non-finite numbers
/// become null, keys are sorted so the text is reproducible.
enum JSONText {
    static func encode(_ object: [String: Any]) -> String {
        let cleaned = object.mapValues(clean)
        let data = (try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func encode(array: [[String: Any]]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: array.map { $0.mapValues(clean) }, options: [.sortedKeys]))
        return String(decoding: data ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: Any] {
        ExactJSON.dictionary(from: text) ?? [:]
    }

    static func decode(_ data: Data) -> [String: Any] {
        (try? ExactJSON.object(from: data)) as? [String: Any] ?? [:]
    }

    private static func clean(_ value: Any) -> Any {
        switch value {
        case let d as Double: d.isFinite ? d : NSNull()
        case let f as Float: f.isFinite ? Double(f) : NSNull()
        case let a as [Any]: a.map(clean)
        case let o as [String: Any]: o.mapValues(clean)
        default: value
        }
    }
}

extension ContinuousClock.Instant {
    /// Milliseconds from this instant until now.
    var millisecondsElapsed: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - self).components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

extension WorkItem {
    /// The next message: the incoming one continued, or a fresh one (with a
    /// new trace, none being known) when the item was resumed from the database.
    func nextMessage(kind: MessageKind, payload: String, ids: [String: String] = [:], frames: [Frame]) -> Envelope {
        if let message {
            return message.continued(as: kind, payload: Data(payload.utf8), frames: frames, ids: ids)
        }
        return Envelope(kind: kind, runID: runID, traceID: UUID(), observationID: observationID, ids: ids,
                        payload: Data(payload.utf8), frames: frames)
    }
}
