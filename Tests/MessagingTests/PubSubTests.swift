import Testing
import Messaging

@Suite struct PubSubTests {
    @Test func subscriberSeesOnlyItsTopic() throws {
        let context = try ZMQContext()
        let publisher = try ZMQSocket(.pub, context: context)
        let endpoint = try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try ZMQSocket(.sub, context: context)
        try subscriber.setReceiveTimeout(.milliseconds(20))
        try subscriber.subscribe("alerts.")
        try subscriber.connect(endpoint)

        // A PUB drops what it sends before the subscription reaches it, so
        // probe until one probe gets through (bounded: ~250 × 20 ms).
        var live = false
        for _ in 0..<250 where !live {
            try publisher.send([.string("noise.probe")])
            try publisher.send([.string("alerts.probe")])
            if let message = try subscriber.receive() {
                #expect(message.first?.string == "alerts.probe")
                live = true
            }
        }
        try #require(live, "subscription never became live")

        try publisher.send([.string("noise.skip"), .string("dropped")])
        try publisher.send([.string("alerts.final"), .string("payload")])
        // Later probes may still be queued ahead of the final message; no
        // message outside the topic may appear among them.
        var final: [ZMQFrame]?
        for _ in 0..<500 where final == nil {
            guard let message = try subscriber.receive() else { continue }
            #expect(message[0].string.hasPrefix("alerts."))
            if message[0].string == "alerts.final" { final = message }
        }
        #expect(final?.map(\.string) == ["alerts.final", "payload"])
        try subscriber.unsubscribe("alerts.")
    }

    @Test func binarySubscriptionsAreAccepted() throws {
        let context = try ZMQContext()
        let subscriber = try ZMQSocket(.sub, context: context)
        try subscriber.subscribe(bytes: [0xFF, 0x00])
        try subscriber.unsubscribe(bytes: [0xFF, 0x00])
    }
}
