import Envelopes
import Foundation
import StageRuntime
import Store
import Synchronization

/// A stage that does nothing but record that it ran: it counts calls to
/// `process` per observation (and per instance), writes one `toy_results`
/// row per item idempotently, and sends the message on.
struct ToyWorker: StageWorker {
    let name: String
    let inputStatus: ProgressStatus
    let outputStatus: ProgressStatus
    /// The kind of the messages it sends on.
    let kind: MessageKind
    let calls = CallLog()
    /// Observations whose every attempt throws.
    var failing: Set<UUID> = []
    /// When set, `process` waits at this gate (for the shutdown test).
    var gate: Gate?
    /// Time spent in each `process`, so that instances interleave.
    var workTime: Duration = .zero

    static let createResultsTable = """
        CREATE TABLE IF NOT EXISTS toy_results (
            run_id uuid NOT NULL, observation_id uuid NOT NULL, stage text NOT NULL,
            PRIMARY KEY (run_id, observation_id, stage))
        """

    /// `ingested → preprocessed`, sending `observation.preprocessed`.
    static func first(_ name: String = "toy-a") -> ToyWorker {
        ToyWorker(name: name, inputStatus: .ingested, outputStatus: .preprocessed, kind: .preprocessed)
    }

    /// `preprocessed → differenced`, sending `observation.differenced`.
    static func second(_ name: String = "toy-b") -> ToyWorker {
        ToyWorker(name: name, inputStatus: .preprocessed, outputStatus: .differenced, kind: .differenced)
    }

    func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        calls.record(item.observationID, instance: context.instance)
        if failing.contains(item.observationID) { throw ToyFailure(observation: item.observationID) }
        gate?.enterAndWait()
        if workTime > .zero { Thread.sleep(forTimeInterval: Double(workTime.components.attoseconds) * 1e-18) }
        let next = item.message?.continued(as: kind)
            ?? Envelope(kind: kind, runID: item.runID, traceID: UUID(), observationID: item.observationID)
        let (stage, run, observation) = (name, item.runID, item.observationID)
        return WorkResult(
            persist: { store in
                try store.connection.execute(
                    "INSERT INTO toy_results VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [run, observation, stage])
            },
            downstream: [next], counts: ["toy": 1])
    }
}

struct ToyFailure: Error, CustomStringConvertible {
    let observation: UUID
    var description: String { "toy failure for \(observation)" }
}

/// Calls to `process`, by observation and by instance; thread-safe.
final class CallLog: Sendable {
    private let state = Mutex<(byObservation: [UUID: Int], byInstance: [String: Int])>(([:], [:]))

    func record(_ id: UUID, instance: String) {
        state.withLock {
            $0.byObservation[id, default: 0] += 1
            $0.byInstance[instance, default: 0] += 1
        }
    }

    func count(_ id: UUID) -> Int { state.withLock { $0.byObservation[id] ?? 0 } }
    var total: Int { state.withLock { $0.byObservation.values.reduce(0, +) } }
    var byInstance: [String: Int] { state.withLock { $0.byInstance } }
}

/// Holds a worker inside `process` until the test lets it go. Every wait is
/// bounded, so a broken test fails instead of hanging.
final class Gate: @unchecked Sendable {
    // @unchecked: the flags are only touched with `condition` locked.
    private let condition = NSCondition()
    private var entered = false
    private var released = false

    func enterAndWait() {
        condition.lock()
        defer { condition.unlock() }
        entered = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(20)
        while !released, condition.wait(until: deadline) {}
    }

    var hasEntered: Bool {
        condition.lock()
        defer { condition.unlock() }
        return entered
    }

    func release() {
        condition.lock()
        released = true
        condition.broadcast()
        condition.unlock()
    }
}
