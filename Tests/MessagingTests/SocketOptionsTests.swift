import Testing
import Messaging

@Suite struct SocketOptionsTests {
    @Test func optionsReadBackWhatWasSet() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(.push, context: context)
        #expect(try socket.linger() == .zero, "sockets start with linger 0")

        try socket.setSendHighWaterMark(123)
        try socket.setReceiveHighWaterMark(45)
        #expect(try socket.sendHighWaterMark() == 123)
        #expect(try socket.receiveHighWaterMark() == 45)

        try socket.setSendTimeout(.milliseconds(250))
        try socket.setReceiveTimeout(.microseconds(1500))
        #expect(try socket.sendTimeout() == .milliseconds(250))
        #expect(try socket.receiveTimeout() == .milliseconds(2), "sub-millisecond parts round up")
        try socket.setReceiveTimeout(nil)
        #expect(try socket.receiveTimeout() == nil)

        try socket.setLinger(.seconds(1))
        #expect(try socket.linger() == .seconds(1))
        try socket.setLinger(nil)
        #expect(try socket.linger() == nil)
        try socket.setLinger(.zero)

        #expect(try socket.immediate() == false)
        try socket.setImmediate(true)
        #expect(try socket.immediate())
    }

    @Test func subscribingANonSubSocketFailsWithLibzmqsMessage() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(.push, context: context)
        let error = #expect(throws: ZMQError.self) { try socket.subscribe("x") }
        #expect(error?.operation == "zmq_setsockopt(ZMQ_SUBSCRIBE)")
        #expect(error?.message == "Invalid argument")
    }
}
