import Foundation
import ServiceLifecycle
import StageRuntime
import Store
import Testing

/// A stop requested while an item is in flight lets the item commit and
/// send before `run()` returns.
@Suite struct ShutdownTests {
    /// Cancellation runs the stop handler at once, so the stop is surely
    /// requested while the worker is held inside `process`.
    @Test func cancellingWhileAnItemIsInFlightFinishesIt() async throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(2)
        let downstream = try Downstream()
        let gate = Gate()
        var worker = ToyWorker.first("toy-cancel")
        worker.gate = gate
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-cancel", input: nil, outputs: [downstream.endpoint]))
        try await eventually("the worker to hold the first item") { gate.hasEntered }

        stage.requestStop()
        #expect(stage.snapshot.state == .ok)  // still working on the item
        gate.release()
        try await stage.finished()

        // Committed and sent before run() returned; the second item untouched.
        #expect(try fixture.progress(ids[0]).status == .preprocessed)
        #expect(try fixture.results(stage: "toy-cancel") == 1)
        #expect(stage.snapshot.state == .stopped && stage.snapshot.itemsDone == 1)
        #expect(try await downstream.next().observationID == ids[0])
        #expect(worker.calls.count(ids[1]) == 0)
        let second = try fixture.progress(ids[1])
        #expect(second.status == .ingested && second.leaseOwner == nil)
    }

    /// The same through a `ServiceGroup`'s graceful shutdown, as SIGTERM
    /// reaches a stage executable.
    @Test func gracefulShutdownOfTheGroupFinishesTheItemInFlight() async throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let downstream = try Downstream()
        let gate = Gate()
        var worker = ToyWorker.first("toy-sigterm")
        worker.gate = gate
        let service = try StageService(worker: worker, configuration: fixture.configuration(
            stage: "toy-sigterm", input: nil, outputs: [downstream.endpoint]), logger: testLogger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: testLogger))
        let running = Task { try await group.run() }
        try await eventually("the worker to hold the item") { gate.hasEntered }

        await group.triggerGracefulShutdown()
        gate.release()
        try await running.value

        #expect(try fixture.progress(id).status == .preprocessed)
        #expect(service.health.snapshot.state == .stopped && service.health.snapshot.itemsDone == 1)
        #expect(try await downstream.next().observationID == id)
    }

    /// A stop while an item waits between tries gives its lease back, so
    /// another instance can take it at once.
    @Test func stoppingBetweenTriesReleasesTheItem() async throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        var worker = ToyWorker.first("toy-release")
        worker.failures = [id: .max]
        var configuration = fixture.configuration(stage: "toy-release", input: nil)
        configuration.retryBackoff = .seconds(3600)  // the stop must cut this wait short
        configuration.maximumBackoff = .seconds(3600)
        let stage = try RunningStage(worker: worker, configuration: configuration)
        try await eventually("the first try to fail") { try fixture.progress(id).attempts == 1 }

        try await stage.stop()
        let record = try fixture.progress(id)
        #expect(record.status == .ingested && record.leaseOwner == nil && record.attempts == 1)
        #expect(worker.calls.count(id) == 1)
    }
}
