import Foundation
import Synchronization
import Testing
import Messaging

@Suite struct TimeoutAndPollTests {
    @Test func receiveTimeoutReturnsNil() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, context: context)
        try pull.bind("inproc://quiet")
        try pull.setReceiveTimeout(.milliseconds(10))
        #expect(try pull.receive() == nil)
        #expect(try pull.tryReceive() == nil)
    }

    @Test func sendTimeoutReturnsFalse() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, context: context)
        try push.setSendTimeout(.milliseconds(10))
        #expect(try !push.send([.string("nobody listens")]))
        #expect(try !push.trySend([.string("nobody listens")]))
    }

    @Test func pollTimesOutThenSeesInput() throws {
        let context = try ZMQContext()
        let quiet = try receiver(.pull, in: context)
        try quiet.bind("inproc://quiet")
        let busy = try receiver(.pull, in: context)
        try busy.bind("inproc://busy")
        #expect(try busy.poll(timeout: .milliseconds(10)).isEmpty)
        #expect(try ZMQSocket.poll([quiet, busy], timeout: .zero) == [[], []])

        let push = try ZMQSocket(.push, context: context)
        try push.connect("inproc://busy")
        try push.send([.string("work")])
        #expect(try ZMQSocket.poll([quiet, busy], timeout: .seconds(5)) == [[], .readable])
        #expect(try push.poll(.writable, timeout: .zero) == .writable)
        #expect(try busy.tryReceive()?.first?.string == "work")
    }

    @Test func shutdownWakesABlockedReceive() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, context: context)
        try pull.bind("inproc://waiting")
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        // A real thread, because a receive with no timeout blocks it.
        Thread {
            do {
                _ = try pull.receive()
            } catch let error as ZMQError {
                outcome.error.withLock { $0 = error }
            } catch {}
            finished.signal()
        }.start()
        context.shutdown()
        try #require(finished.wait(timeout: .now() + 10) == .success)
        #expect(outcome.error.withLock { $0 }?.isContextTerminated == true)
    }

    @Test func errorsNameTheEndpointAndCarryLibzmqsMessage() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(.pull, context: context)
        let unknown = #expect(throws: ZMQError.self) { try socket.connect("carrier-pigeon://roof") }
        #expect(unknown?.description.contains("carrier-pigeon://roof") == true)
        #expect(unknown?.message == "Protocol not supported")

        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        let other = try ZMQSocket(.pull, context: context)
        let taken = #expect(throws: ZMQError.self) { try other.bind(endpoint) }
        #expect(taken?.endpoint == endpoint)
        #expect(taken?.message == "Address already in use")
    }
}

private final class Outcome: Sendable {
    let error = Mutex<ZMQError?>(nil)
}
