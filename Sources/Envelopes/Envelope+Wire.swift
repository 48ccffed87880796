import Foundation

/// Why a message could not be read.
public struct EnvelopeError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "bad message: \(reason)" }
}

extension Envelope {
    /// The header as it travels in part 0.
    struct Header: Codable {
        var version: Int
        var kind: MessageKind
        var runID: UUID
        var traceID: UUID
        var observationID: UUID
        var ids: [String: String]
        var timestamps: [StageTimestamp]
        var payload: JSONPayload
        var frames: [FrameHeader]

        enum CodingKeys: String, CodingKey {
            case version, kind, ids, timestamps, payload, frames
            case runID = "run_id", traceID = "trace_id", observationID = "observation_id"
        }
    }

    struct FrameHeader: Codable {
        var name: String
        var layout: String
        var width: Int?
        var height: Int?
        var bytes: Int
    }

    /// The multipart parts: the JSON header, then each frame's bytes.
    public func encoded() throws -> [Data] {
        let header = Header(
            version: Self.version, kind: kind, runID: runID, traceID: traceID, observationID: observationID, ids: ids,
            timestamps: timestamps, payload: JSONPayload(data: payload),
            frames: frames.map { frame in
                switch frame.layout {
                case .float32(let w, let h): FrameHeader(name: frame.name, layout: "float32", width: w, height: h, bytes: frame.data.count)
                case .uint8(let w, let h): FrameHeader(name: frame.name, layout: "uint8", width: w, height: h, bytes: frame.data.count)
                case .text: FrameHeader(name: frame.name, layout: "text", bytes: frame.data.count)
                case .bytes: FrameHeader(name: frame.name, layout: "bytes", bytes: frame.data.count)
                }
            })
        return [try Self.encoder.encode(header)] + frames.map(\.data)
    }

    /// Reads a message from its parts; refuses other versions and frames
    /// that do not match their description.
    public static func decode(_ parts: [Data]) throws -> Envelope {
        guard let first = parts.first else { throw EnvelopeError(reason: "no parts") }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: first)
        } catch {
            throw EnvelopeError(reason: "header is not a valid envelope: \(error)")
        }
        guard header.version == version else {
            throw EnvelopeError(reason: "envelope version \(header.version), this stage reads \(version)")
        }
        guard parts.count == header.frames.count + 1 else {
            throw EnvelopeError(reason: "header lists \(header.frames.count) frames, message has \(parts.count - 1)")
        }
        let frames = try zip(header.frames, parts.dropFirst()).map { info, data -> Frame in
            guard info.bytes == data.count else {
                throw EnvelopeError(reason: "frame \(info.name) should hold \(info.bytes) bytes, holds \(data.count)")
            }
            let layout: Frame.Layout
            switch (info.layout, info.width, info.height) {
            case ("float32", let w?, let h?): layout = .float32(width: w, height: h)
            case ("uint8", let w?, let h?): layout = .uint8(width: w, height: h)
            case ("text", _, _): layout = .text
            case ("bytes", _, _): layout = .bytes
            default: throw EnvelopeError(reason: "frame \(info.name) has unknown layout \(info.layout)")
            }
            return Frame(name: info.name, layout: layout, data: data)
        }
        return Envelope(kind: header.kind, runID: header.runID, traceID: header.traceID,
                        observationID: header.observationID, ids: header.ids, timestamps: header.timestamps,
                        payload: header.payload.data, frames: frames)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601WithMilliseconds
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601WithMilliseconds
        return decoder
    }()
}

/// A JSON value embedded as-is in the header (the payload).
struct JSONPayload: Codable {
    var data: Data

    init(data: Data) { self.data = data }

    init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer().decode(AnyJSON.self)
        data = try JSONSerialization.data(withJSONObject: value.object, options: [.sortedKeys, .fragmentsAllowed])
    }

    func encode(to encoder: Encoder) throws {
        let object = try ExactJSON.object(from: data.isEmpty ? Data("{}".utf8) : data)
        var container = encoder.singleValueContainer()
        try container.encode(AnyJSON(object))
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// ISO 8601 in UTC with milliseconds, e.g. `2026-11-22T21:36:59.101Z`.
    static let iso8601WithMilliseconds = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var c = encoder.singleValueContainer()
        try c.encode(ISO8601.formatter.string(from: date))
    }
}

extension JSONDecoder.DateDecodingStrategy {
    static let iso8601WithMilliseconds = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = ISO8601.formatter.date(from: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not ISO 8601: \(text)"))
        }
        return date
    }
}

enum ISO8601 {
    nonisolated(unsafe) static let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}
