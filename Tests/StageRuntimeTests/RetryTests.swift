import Database
import Foundation
@testable import StageRuntime
import Store
import Testing

/// Failing items: retries with backoff, attempts counted, then `failed`; and
/// the state machine and backoff underneath, without sockets or SQL.
@Suite struct RetryTests {
    @Test func aWorkerThatThrowsTwiceThenSucceedsIsDone() async throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let downstream = try Downstream()
        var worker = ToyWorker.first("toy-flaky")
        worker.failures = [id: 2]
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-flaky", input: nil, outputs: [downstream.endpoint]))

        #expect(try await downstream.next().observationID == id)
        #expect(worker.calls.count(id) == 3)
        let record = try fixture.progress(id)
        #expect(record.status == .preprocessed)
        #expect(record.attempts == 2)  // the failed ones
        #expect(record.error == nil && record.failedStage == nil)
        try await stage.stop()
        #expect(stage.snapshot.itemsDone == 1 && stage.snapshot.itemsFailed == 0)
    }

    /// After `attempts` tries the item is failed with its error (mirrored to
    /// the live observation) and the stage goes on to the next item.
    @Test func aWorkerThatAlwaysThrowsFailsTheItemAndGoesOn() async throws {
        let fixture = try RuntimeFixture.make(kind: .live)
        let ids = try fixture.addObservations(2)  // the failing one lands first
        let downstream = try Downstream()
        var worker = ToyWorker.first("toy-broken")
        worker.failures = [ids[0]: .max]
        var configuration = fixture.configuration(stage: "toy-broken", input: nil, outputs: [downstream.endpoint])
        configuration.maxAttempts = 4
        let stage = try RunningStage(worker: worker, configuration: configuration)

        #expect(try await downstream.next().observationID == ids[1])
        #expect(worker.calls.count(ids[0]) == 4)
        let record = try fixture.progress(ids[0])
        #expect(record.status == .failed)
        #expect(record.failedStage == "toy-broken")
        #expect(record.error == "toy failure for \(ids[0])")
        #expect(record.attempts == 4)
        #expect(record.leaseOwner == nil)
        let observation = try fixture.observationStatus(ids[0])
        #expect(observation.status == "failed" && observation.error == record.error)
        #expect(try fixture.progress(ids[1]).status == .preprocessed)
        try await stage.stop()
        #expect(stage.snapshot.itemsFailed == 1 && stage.snapshot.itemsDone == 1)
        #expect(try fixture.results(stage: "toy-broken") == 1)
    }

    /// A write that fails inside the transaction rolls the whole attempt
    /// back, including the rows written before it, and nothing is sent for it.
    @Test func aFailedCommitRollsBackAndSendsNothing() async throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(2)
        let downstream = try Downstream()
        var worker = ToyWorker.first("toy-rollback")
        worker.persistFailures = [ids[0]: .max]
        var configuration = fixture.configuration(stage: "toy-rollback", input: nil, outputs: [downstream.endpoint])
        configuration.maxAttempts = 2
        let stage = try RunningStage(worker: worker, configuration: configuration)

        // The next item's message is the first to leave: none for the failed one.
        #expect(try await downstream.next().observationID == ids[1])
        #expect(try fixture.progress(ids[0]).status == .failed)
        let rows = try fixture.store.connection.query(
            "SELECT count(*) AS n FROM toy_results WHERE observation_id = $1", [ids[0]])[0].decode(Int.self, "n")
        #expect(rows == 0)
        try await stage.stop()
        #expect(try downstream.poll() == nil)
    }

    @Test func backoffDoublesUpToItsMaximum() {
        let backoff = Backoff(base: .milliseconds(100), maximum: .seconds(1))
        #expect(backoff.delay(afterFailures: 0) == .zero)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(200))
        #expect(backoff.delay(afterFailures: 4) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 5) == .seconds(1))
        #expect(backoff.delay(afterFailures: 1000) == .seconds(1))
    }

    @Test func lostConnectionsAreNotCountedAsTries() {
        var attempts = ItemAttempts(maxAttempts: 3, backoff: Backoff(base: .seconds(1), maximum: .seconds(30)))
        #expect(attempts.failed(connectionLost: true) == .reconnect)
        #expect(attempts.failed(connectionLost: false) == .retry(after: .seconds(1)))
        #expect(attempts.failed(connectionLost: true) == .reconnect)
        #expect(attempts.failed(connectionLost: false) == .retry(after: .seconds(2)))
        #expect(attempts.failed(connectionLost: false) == .giveUp)
        #expect(attempts.failures == 3)
        var once = ItemAttempts(maxAttempts: 1, backoff: Backoff(base: .seconds(1), maximum: .seconds(1)))
        #expect(once.failed(connectionLost: false) == .giveUp)
    }
}
