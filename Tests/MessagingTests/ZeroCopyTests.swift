import Testing
import Messaging

@Suite struct ZeroCopyTests {
    private static let words = 4 << 20  // 16 MiB of UInt32

    @Test func sixteenMebibytesOverInprocAreNeverCopied() throws {
        let context = try ZMQContext()
        let pull = try receiver(.pull, in: context)
        try pull.bind("inproc://pixels")
        let push = try ZMQSocket(.push, context: context)
        try push.connect("inproc://pixels")
        let expected = pattern(count: Self.words)

        weak var weakBuffer: ZMQBuffer?
        let address: UnsafeRawPointer?
        do {
            let buffer = ZMQBuffer(copying: expected)
            #expect(buffer.count == 16 << 20)
            weakBuffer = buffer
            address = buffer.withUnsafeBytes { UnsafeRawPointer($0.baseAddress) }
            #expect(try push.send([.string("frame-1"), .zeroCopy(buffer)]))
            #expect(buffer.messagesInFlight == 1)
        }
        #expect(weakBuffer != nil, "the queued message must keep the buffer alive")

        var frames = try #require(try pull.receive())
        #expect(frames[0].string == "frame-1")
        #expect(frames[1].count == 16 << 20)
        #expect(frames[1].withUnsafeBytes { UnsafeRawPointer($0.baseAddress) } == address,
                "inproc delivers the sender's own bytes")
        #expect(frames[1].elements(as: UInt32.self) == expected)
        #expect(weakBuffer?.messagesInFlight == 1)

        frames.removeAll()
        #expect(weakBuffer == nil, "dropping the frame runs libzmq's free callback, releasing the buffer")
    }

    @Test func sixteenMebibytesOverTCPAreReleasedAfterSending() throws {
        let context = try ZMQContext()
        let pull = try receiver(.pull, in: context)
        let endpoint = try pull.bind("tcp://127.0.0.1:*")
        let push = try ZMQSocket(.push, context: context)
        try push.connect(endpoint)
        let expected = pattern(count: Self.words)
        let buffer = ZMQBuffer(copying: expected)

        #expect(try push.send([.zeroCopy(buffer)]))
        let frames = try #require(try pull.receive())
        #expect(frames.count == 1)
        #expect(frames[0].elements(as: UInt32.self) == expected)
        // The I/O thread drops its reference once the bytes are written.
        #expect(eventually { buffer.messagesInFlight == 0 })
        buffer.withUnsafeMutableBytes { $0[0] = 1 }
    }

    @Test func unsentZeroCopyFrameIsReleased() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, context: context)
        let buffer = ZMQBuffer(count: 64)
        // No peer: a non-blocking send cannot queue, and the message must be
        // handed back and released rather than leaked.
        #expect(try !push.trySend([.zeroCopy(buffer)]))
        #expect(buffer.messagesInFlight == 0)
    }
}
