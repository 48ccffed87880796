import Envelopes
import Foundation
import Logging
import Messaging
import StageRuntime

/// The longest any test waits for something that should happen. It only
/// keeps a broken runtime from hanging the suite; no test measures time.
let patience: Duration = .seconds(60)

/// Waits until `condition` holds, checking every few milliseconds without
/// holding a thread of the cooperative pool.
/// - Throws: when it still does not hold after ``patience``.
func eventually(_ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + patience
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw FixtureError("gave up waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// The next stage as the test sees it: a PULL socket bound on an ephemeral
/// loopback port, which the stage under test connects its output to.
final class Downstream: @unchecked Sendable {
    // @unchecked: used by one test task at a time.
    let socket: ZMQSocket
    /// The endpoint to give the stage as `--output`.
    let endpoint: String

    init() throws {
        socket = try ZMQSocket(.pull, context: try ZMQContext())
        endpoint = try socket.bind("tcp://127.0.0.1:*")
    }

    /// The next message, waiting for it.
    func next() async throws -> Envelope {
        var received: [ZMQFrame]?
        try await eventually("a message downstream") {
            received = try socket.tryReceive()
            return received != nil
        }
        return try Envelope.decode(received!.map(\.data))
    }

    /// The next message if one is queued now, else nil.
    func poll() throws -> Envelope? {
        try socket.tryReceive().map { try Envelope.decode($0.map(\.data)) }
    }
}

/// The previous stage as the test sees it: a PUSH socket connected to the
/// input the stage under test bound.
final class Upstream: @unchecked Sendable {
    // @unchecked: used by one test task at a time.
    let socket: ZMQSocket

    init(to endpoint: String) throws {
        socket = try ZMQSocket(.push, context: try ZMQContext())
        try socket.setSendTimeout(patience)
        try socket.connect(endpoint)
    }

    func send(_ envelope: Envelope) throws {
        guard try socket.send(try envelope.encoded().map(ZMQOutgoingFrame.data)) else {
            throw FixtureError("could not send to the stage")
        }
    }
}

/// A ``StageService`` running in a task of its own, as `StageRunner` would
/// run it, with helpers to wait for it and to stop it.
final class RunningStage<Worker: StageWorker>: @unchecked Sendable {
    // @unchecked: `task` is set once in init.
    let service: StageService<Worker>
    private var task: Task<Void, any Error>!

    var health: StageHealth { service.health }
    var snapshot: StageHealth.Snapshot { service.health.snapshot }

    init(worker: Worker, configuration: RuntimeConfiguration) throws {
        service = try StageService(worker: worker, configuration: configuration, logger: testLogger)
        let service = service
        task = Task { try await service.run() }
    }

    /// The endpoint the input bound, once it is bound.
    func inputEndpoint() async throws -> String {
        try await eventually("the input to be bound") { health.snapshot.inputEndpoint != nil }
        return health.snapshot.inputEndpoint!
    }

    /// Waits until the instance reports `condition`.
    func waitUntil(_ what: String, _ condition: @escaping (StageHealth.Snapshot) -> Bool) async throws {
        try await eventually(what) { condition(health.snapshot) }
    }

    /// Cancels the service's task. Its stop handler runs before this
    /// returns, so the loop is then surely asked to stop.
    func requestStop() {
        task.cancel()
    }

    /// Cancels the service (as a shutdown does) and waits for `run()` to return.
    func stop() async throws {
        task.cancel()
        try await task.value
    }

    /// Waits for `run()` to return by itself.
    func finished() async throws {
        try await task.value
    }
}
