import Envelopes
import Foundation
import StageRuntime
import Store
import Synchronization
import Testing

/// A source (ingest's shape): what it finds commits with its progress row,
/// then its messages are sent.
@Suite struct SourceServiceTests {
    @Test func foundItemsCommitWithTheirProgressThenAreSent() async throws {
        let fixture = try RuntimeFixture.make()
        let (good, broken, later) = (UUID(), UUID(), UUID())
        let source = ToySource(name: "toy-source", runID: fixture.runID, batches: [[broken, good], [], [later]],
                               broken: [broken])
        let downstream = try Downstream()
        var configuration = fixture.configuration(stage: "toy-source", input: nil, outputs: [downstream.endpoint])
        configuration.maxAttempts = 2
        let service = try SourceService(worker: source, configuration: configuration, logger: testLogger)
        let running = Task { try await service.run() }

        // The broken result is never sent; the good one after it is.
        let first = try await downstream.next()
        #expect(first.observationID == good)
        // Sent after the commit: its rows and progress are visible now.
        #expect(try fixture.progress(good).status == .ingested)
        #expect(try fixture.observationStatus(good).status == "ingested")
        #expect(first.timestamps.map(\.event) == [.landed, .committed, .sent])  // nothing received
        #expect(first.timestamps.allSatisfy { $0.stage == "toy-source" })
        #expect(try await downstream.next().observationID == later)

        running.cancel()
        try await running.value
        #expect(try fixture.store.progress(runID: fixture.runID, observationID: broken) == nil)
        #expect(try fixture.results(stage: "toy-source") == 2)
        #expect(service.health.snapshot.itemsDone == 2 && service.health.snapshot.itemsFailed == 1)
        #expect(service.health.snapshot.state == .stopped)
        #expect(try downstream.poll() == nil)
    }

    @Test func aSourceTakesNoInput() throws {
        let source = ToySource(name: "toy-source", runID: UUID(), batches: [], broken: [])
        let configuration = RuntimeConfiguration(stage: "x", runID: UUID(), input: "tcp://127.0.0.1:*", databaseURL: "x")
        let error = #expect(throws: RuntimeError.self) {
            try SourceService(worker: source, configuration: configuration, logger: testLogger)
        }
        #expect(error?.option == "--input")
    }
}

/// A source that "finds" the observations of each batch in turn, one batch
/// per poll, and nothing once they run out. Its writes create the
/// observation but not its progress row: the runtime registers that.
struct ToySource: SourceWorker {
    let name: String
    let runID: UUID
    private let pending: Batches
    /// Observations whose writes always fail.
    let broken: Set<UUID>

    init(name: String, runID: UUID, batches: [[UUID]], broken: Set<UUID>) {
        self.name = name
        self.runID = runID
        pending = Batches(batches)
        self.broken = broken
    }

    func poll(context: WorkContext) throws -> [SourceResult] {
        let batch = pending.next()
        return batch.map { id in
            var envelope = Envelope(kind: .ingested, runID: runID, traceID: UUID(), observationID: id)
            envelope.stamp(name, .landed)
            let (run, stage, fails) = (runID, name, broken.contains(id))
            let persist: @Sendable (PipelineStore) throws -> Void = { store in
                try RuntimeFixture.insertObservation(store, runID: run, id: id)
                try store.connection.execute(
                    "INSERT INTO toy_results VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [run, id, stage])
                if fails { throw ToyFailure(observation: id) }
            }
            return SourceResult(observationID: id, result: WorkResult(persist: persist, downstream: [envelope],
                                                                      counts: ["files": 1]))
        }
    }
}

/// The batches a ``ToySource`` has yet to find; thread-safe.
final class Batches: Sendable {
    private let state: Mutex<[[UUID]]>

    init(_ batches: [[UUID]]) { state = Mutex(batches) }

    /// The next batch, or none once they run out.
    func next() -> [UUID] { state.withLock { $0.isEmpty ? [] : $0.removeFirst() } }
}
