import Foundation
import Testing
@testable import Envelopes

/// Numbers must survive every path a figure takes between stages (message
/// payload, JSONB row) bit for bit, or a replay is not deterministic.
@Suite("Exact JSON numbers")
struct ExactJSONTests {
    /// Doubles whose last bit `JSONSerialization` on Linux gets wrong.
    static let awkward: [Double] = [0.1 + 0.2, 0.12345678901234568, 2.2053412341234122e-05, 1 / 3, -7.3485968588973885,
                                    1e-300, 6.02214076e23]

    @Test("every spelling of a number reads back as the same Double, including PostgreSQL's JSONB respelling")
    func spellings() throws {
        for value in Self.awkward {
            let shortest = "\(value)"
            let object = try #require(ExactJSON.dictionary(from: #"{"v":\#(shortest)}"#))
            let read = try #require(object["v"] as? Double)
            #expect(read.bitPattern == value.bitPattern, "\(shortest) read as \(read)")
        }
        // JSONB writes 2.2053412341234122e-05 as 0.000022053412341234122.
        let jsonb = try #require(ExactJSON.dictionary(from: #"{"v":0.000022053412341234122}"#)?["v"] as? Double)
        #expect(jsonb.bitPattern == 2.2053412341234122e-05.bitPattern)
    }

    @Test("integers, booleans, strings, null and nesting keep their kinds")
    func kinds() throws {
        let object = try #require(ExactJSON.dictionary(from: #"{"i":3,"t":true,"f":false,"s":"x","n":null,"a":[1,2.5],"o":{"k":-1}}"#))
        #expect(object["i"] as? Int == 3)
        #expect(type(of: object["t"]!) == Bool.self && object["t"] as? Bool == true)
        #expect(object["f"] as? Bool == false)
        #expect(object["s"] as? String == "x")
        #expect(object["n"] is NSNull)
        #expect((object["a"] as? [Any])?.count == 2)
        #expect((object["o"] as? [String: Any])?["k"] as? Int == -1)
        #expect(ExactJSON.dictionary(from: "not json") == nil)
    }

    @Test("a payload carried through the wire keeps each number's bits and each boolean and integer as such")
    func wire() throws {
        let text = #"{"b":true,"count":1,"sigma":0.30000000000000004,"tiny":2.2053412341234122e-05}"#
        let envelope = Envelope(kind: .preprocessed, runID: UUID(), traceID: UUID(), observationID: UUID(),
                                payload: Data(text.utf8))
        let back = try Envelope.decode(try envelope.encoded())
        let object = try #require(try ExactJSON.object(from: back.payload) as? [String: Any])
        #expect(object["b"] as? Bool == true && type(of: object["b"]!) == Bool.self)
        #expect(object["count"] as? Int == 1 && type(of: object["count"]!) != Bool.self)
        #expect((object["sigma"] as? Double)?.bitPattern == (0.1 + 0.2).bitPattern)
        #expect((object["tiny"] as? Double)?.bitPattern == 2.2053412341234122e-05.bitPattern)
    }
}
