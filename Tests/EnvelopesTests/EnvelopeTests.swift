import Foundation
import Pixels
import Testing
@testable import Envelopes

@Suite struct EnvelopeTests {
    static func sample() -> Envelope {
        var envelope = Envelope(
            kind: .preprocessed, runID: UUID(), traceID: UUID(), observationID: UUID(),
            ids: ["preprocess_run_id": UUID().uuidString],
            payload: Data(#"{"seeing": 2.5, "field": "NOC-F00", "stars": [1, 2, 3]}"#.utf8),
            frames: [.image("aligned", Image(width: 3, height: 2, pixels: [1, 2, 3, .nan, -0.0, 6.5])),
                     .bytes("mask", width: 3, height: 2, [0, 1, 2, 4, 8, 16]), .text("header", "SIMPLE  =  T")])
        envelope.stamp("ingest", .landed, at: Date(timeIntervalSince1970: 1_700_000_000.123))
        envelope.stamp("preprocess", .sent, at: Date(timeIntervalSince1970: 1_700_000_001.456))
        return envelope
    }

    @Test func roundTripsThroughItsParts() throws {
        let envelope = Self.sample()
        let parts = try envelope.encoded()
        #expect(parts.count == 4)
        let back = try Envelope.decode(parts)
        #expect(back.kind == envelope.kind && back.runID == envelope.runID && back.observationID == envelope.observationID)
        #expect(back.ids == envelope.ids)
        #expect(back.timestamps.map(\.stage) == ["ingest", "preprocess"])
        #expect(abs(back.timestamps[0].at.timeIntervalSince1970 - 1_700_000_000.123) < 1e-3)
        let payload = try JSONSerialization.jsonObject(with: back.payload) as? [String: Any]
        #expect(payload?["field"] as? String == "NOC-F00")
        let image = try #require(back.frame("aligned")?.floatImage())
        #expect(image.width == 3 && image.height == 2 && image.pixels[3].isNaN && image.pixels[5] == 6.5)
        #expect(back.frame("mask")?.byteImage()?.values == [0, 1, 2, 4, 8, 16])
        #expect(back.frame("header")?.string() == "SIMPLE  =  T")
    }

    @Test func refusesOtherVersionsAndMismatchedFrames() throws {
        var parts = try Self.sample().encoded()
        var header = try JSONSerialization.jsonObject(with: parts[0]) as! [String: Any]
        header["version"] = 99
        parts[0] = try JSONSerialization.data(withJSONObject: header)
        #expect(throws: EnvelopeError.self) { try Envelope.decode(parts) }
        let good = try Self.sample().encoded()
        #expect(throws: EnvelopeError.self) { try Envelope.decode(Array(good.dropLast())) }
        var short = good
        short[1] = short[1].dropLast(4)
        let error = try #require(throws: EnvelopeError.self) { try Envelope.decode(short) }
        #expect(error.description.contains("aligned"))
        #expect(throws: EnvelopeError.self) { try Envelope.decode([Data("not json".utf8)]) }
    }

    @Test func continuingKeepsTheTrace() {
        let first = Self.sample()
        let next = first.continued(as: .differenced, ids: ["difference_run_id": "x"])
        #expect(next.traceID == first.traceID && next.runID == first.runID && next.observationID == first.observationID)
        #expect(next.timestamps == first.timestamps)
        #expect(next.ids["preprocess_run_id"] != nil && next.ids["difference_run_id"] == "x")
        #expect(next.frames.isEmpty)
    }
}
