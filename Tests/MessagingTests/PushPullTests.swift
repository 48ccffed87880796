import Foundation
import Testing
import Messaging

@Suite struct PushPullTests {
    private func roundTrip(bind: String, context: ZMQContext) throws {
        let pull = try receiver(.pull, in: context)
        let endpoint = try pull.bind(bind)
        let push = try ZMQSocket(.push, context: context)
        try push.connect(endpoint)

        let binary = Data([0, 1, 2, 255])
        #expect(try push.send([.string("header"), .data(binary), .empty, .bytes([7, 8])]))
        let frames = try #require(try pull.receive())
        #expect(frames.count == 4)
        #expect(frames[0].string == "header")
        #expect(frames[1].data == binary)
        #expect(frames[2].count == 0)
        #expect(frames[3].bytes == [7, 8])
    }

    @Test func multipartOverInproc() throws {
        let context = try ZMQContext()
        try roundTrip(bind: "inproc://push-pull", context: context)
    }

    @Test func multipartOverTCPOnAnEphemeralPort() throws {
        let context = try ZMQContext()
        try roundTrip(bind: "tcp://127.0.0.1:*", context: context)
    }

    @Test func bindReturnsTheRealEndpoint() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, context: context)
        for spelling in ["tcp://127.0.0.1:*", "tcp://127.0.0.1:0"] {
            let endpoint = try pull.bind(spelling)
            #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
            let port = try #require(Int(endpoint.split(separator: ":").last ?? ""))
            #expect(port > 0)
            #expect(try pull.lastEndpoint() == endpoint)
        }
    }

    @Test func dealerAndRouterRouteReplies() throws {
        let context = try ZMQContext()
        let router = try receiver(.router, in: context)
        try router.bind("inproc://router")
        let dealer = try receiver(.dealer, in: context)
        try dealer.connect("inproc://router")

        try dealer.send([.string("ping")])
        let request = try #require(try router.receive())
        #expect(request.count == 2, "ROUTER prepends the sender's routing id")
        #expect(request[1].string == "ping")
        try router.send([.bytes(request[0].bytes), .string("pong")])
        #expect(try dealer.receive()?.map(\.string) == ["pong"])
    }

    @Test func pairTalksBothWays() throws {
        let context = try ZMQContext()
        let left = try receiver(.pair, in: context)
        try left.bind("inproc://pair")
        let right = try receiver(.pair, in: context)
        try right.connect("inproc://pair")
        try right.send([.string("hello")])
        #expect(try left.receive()?.first?.string == "hello")
        try left.send([.string("back")])
        #expect(try right.receive()?.first?.string == "back")
    }
}
