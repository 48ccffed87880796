import Envelopes
import Foundation
import StageRuntime
import Store
import Testing

/// A toy stage end to end over ZeroMQ and a real database: receive, claim,
/// process, one transaction, then send.
@Suite struct StageServiceTests {
    @Test func anItemIsCommittedThenSentWithItsTimestamps() async throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-e2e")
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "ignored", input: "tcp://127.0.0.1:0", outputs: [downstream.endpoint]))
        // The item is already in the database, so the rescan at start may
        // take it before the message does; either way it is done once.
        let input = try await stage.inputEndpoint()
        #expect(input.hasPrefix("tcp://127.0.0.1:") && !input.hasSuffix(":0"))
        let upstream = try Upstream(to: input)
        let sent = fixture.message(id)
        try upstream.send(sent)

        let received = try await downstream.next()
        // Sent only after the commit: by now the row and the advance are visible.
        #expect(try fixture.results(stage: "toy-e2e") == 1)
        #expect(try fixture.progress(id).status == .preprocessed)
        #expect(try fixture.observationStatus(id).status == "preprocessed")
        #expect(received.kind == .preprocessed)
        #expect(received.observationID == id && received.runID == fixture.runID)

        let mine = received.timestamps.filter { $0.stage == "toy-e2e" }
        #expect(mine.map(\.event) == [.committed, .sent] || mine.map(\.event) == [.received, .committed, .sent])
        let at = Dictionary(mine.map { ($0.event, $0.at) }, uniquingKeysWith: { first, _ in first })
        if let receivedAt = at[.received] { #expect(receivedAt <= at[.committed]!) }
        #expect(at[.committed]! <= at[.sent]!)
        #expect(worker.calls.count(id) == 1)

        try await stage.stop()
        #expect(stage.snapshot.state == .stopped)
        #expect(stage.snapshot.itemsDone == 1)
    }

    /// With nothing left in the database for the rescan, the message alone
    /// drives the item; its trace and the earlier stamps travel on.
    @Test func aMessageCarriesItsTraceAndStampsReceived() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-trace")
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-trace", outputs: [downstream.endpoint]))
        let upstream = try Upstream(to: try await stage.inputEndpoint())
        try await stage.waitUntil("the rescan at start") { $0.lastRescanAt != nil }
        let id = try fixture.addObservations(1)[0]  // after the start rescan found nothing
        let sent = fixture.message(id)
        try upstream.send(sent)

        let received = try await downstream.next()
        #expect(received.traceID == sent.traceID)
        // Ingest's `landed` travels on (to the millisecond the wire keeps).
        let landed = try #require(received.timestamps.first)
        #expect(landed.stage == "ingest" && landed.event == .landed)
        #expect(abs(landed.at.timeIntervalSince(sent.timestamps[0].at)) < 0.001)
        #expect(received.timestamps.filter { $0.stage == "toy-trace" }.map(\.event) == [.received, .committed, .sent])
        try await stage.stop()
    }

    /// A message of another run (a second pipeline on the same ports) is
    /// dropped: this stage's configuration is its own run's. That run's item
    /// stays for its own stages.
    @Test func aMessageOfAnotherRunIsLeftToThatRun() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-foreign")
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-foreign", outputs: [downstream.endpoint]))
        let upstream = try Upstream(to: try await stage.inputEndpoint())
        try await stage.waitUntil("the rescan at start") { $0.lastRescanAt != nil }
        let other = try fixture.store.createRun(kind: .replay, codeVersion: "test")
        let foreign = try RuntimeFixture.insertObservation(fixture.store, runID: other)
        try fixture.store.registerProgress(runID: other, observationID: foreign)
        var message = fixture.message(foreign)
        message.runID = other
        try upstream.send(message)
        let mine = try fixture.addObservations(1)[0]
        try upstream.send(fixture.message(mine))

        // Messages from one PUSH keep their order: the foreign one came first.
        #expect(try await downstream.next().observationID == mine)
        #expect(worker.calls.count(foreign) == 0)
        #expect(try fixture.progress(foreign, run: other).status == .ingested)
        try await stage.stop()
        #expect(try downstream.poll() == nil)
    }

    /// A redelivered message finds its item done: no second call, no second
    /// row, no second message downstream.
    @Test func aRedeliveredMessageChangesNothing() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-redelivery")
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-redelivery", outputs: [downstream.endpoint]))
        let upstream = try Upstream(to: try await stage.inputEndpoint())
        try await stage.waitUntil("the rescan at start") { $0.lastRescanAt != nil }
        let ids = try fixture.addObservations(2)
        let first = fixture.message(ids[0])

        try upstream.send(first)
        #expect(try await downstream.next().observationID == ids[0])
        try upstream.send(first)
        try await stage.waitUntil("the redelivery to be skipped") { $0.itemsSkipped >= 1 }
        // Messages from one PUSH to one PULL keep their order, so had the
        // redelivery been sent on, it would arrive before the next item's.
        try upstream.send(fixture.message(ids[1]))
        #expect(try await downstream.next().observationID == ids[1])

        #expect(worker.calls.count(ids[0]) == 1)
        #expect(try fixture.results(stage: "toy-redelivery") == 2)
        #expect(try fixture.progress(ids[0]).status == .preprocessed)
        try await stage.stop()
        #expect(stage.snapshot.itemsDone == 2 && stage.snapshot.itemsSkipped == 1)
        #expect(try downstream.poll() == nil)
    }

    /// Work left at the input status with no message (a crash, a lost
    /// message) is found by the rescan at start: free leases, expired
    /// leases, and this instance's own; never another's live lease.
    @Test func theRescanAtStartResumesUnfinishedWork() async throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(5)
        try fixture.lease(ids[1], to: "toy-resume-9", expired: true)   // a crashed instance's
        try fixture.lease(ids[2], to: "toy-resume-1", expired: false)  // this instance's, before a restart
        try fixture.lease(ids[3], to: "toy-resume-2", expired: false)  // a live instance's
        try fixture.addObservations(1, at: .preprocessed)             // not this stage's work
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-resume")
        // No input at all: the database is the only source of work.
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-resume", instance: "toy-resume-1", input: nil, outputs: [downstream.endpoint]))

        var sent: [UUID] = []
        for _ in 0..<4 { sent.append(try await downstream.next().observationID) }
        #expect(sent == [ids[0], ids[1], ids[2], ids[4]])  // oldest landed first
        #expect(try fixture.progress(ids[3]).status == .ingested)
        #expect(worker.calls.count(ids[3]) == 0)
        try await stage.stop()
        #expect(try fixture.store.queueDepths(runID: fixture.runID) == [.ingested: 1, .preprocessed: 5])
    }

    /// The periodic rescan finds work that arrives while the stage runs
    /// without a message (the message was lost).
    @Test func thePeriodicRescanFindsLostMessages() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let stage = try RunningStage(worker: ToyWorker.first("toy-rescan"), configuration: fixture.configuration(
            stage: "toy-rescan", outputs: [downstream.endpoint], rescan: .milliseconds(50)))
        try await stage.waitUntil("the rescan at start") { $0.lastRescanAt != nil }
        let id = try fixture.addObservations(1)[0]
        #expect(try await downstream.next().observationID == id)
        try await stage.stop()
    }

    /// Two chained toy stages: the first's output is the second's input.
    @Test func twoStagesChain() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let second = try RunningStage(worker: ToyWorker.second("toy-chain-b"), configuration: fixture.configuration(
            stage: "toy-chain-b", outputs: [downstream.endpoint]))
        let first = try RunningStage(worker: ToyWorker.first("toy-chain-a"), configuration: fixture.configuration(
            stage: "toy-chain-a", outputs: [try await second.inputEndpoint()]))
        let upstream = try Upstream(to: try await first.inputEndpoint())
        try await first.waitUntil("the first stage's rescan") { $0.lastRescanAt != nil }
        try await second.waitUntil("the second stage's rescan") { $0.lastRescanAt != nil }
        let id = try fixture.addObservations(1)[0]
        try upstream.send(fixture.message(id))

        let received = try await downstream.next()
        #expect(received.kind == .differenced)
        #expect(received.timestamps.map(\.stage) == ["ingest", "toy-chain-a", "toy-chain-a", "toy-chain-a",
                                                    "toy-chain-b", "toy-chain-b", "toy-chain-b"])
        #expect(try fixture.progress(id).status == .differenced)
        try await first.stop()
        try await second.stop()
    }
}
