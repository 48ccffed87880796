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
    /// How many calls to `process` throw, per observation, before one
    /// succeeds (`Int.max`: every call throws).
    var failures: [UUID: Int] = [:]
    /// How many times `persist` throws after writing its row, per
    /// observation: the transaction must roll the row back and send nothing.
    var persistFailures: [UUID: Int] = [:]
    /// When set, `process` waits at this gate (for the shutdown test).
    var gate: Gate?

    static let createResultsTable = """
        CREATE TABLE IF NOT EXISTS toy_results (
            run_id uuid NOT NULL, observation_id uuid NOT NULL, stage text NOT NULL,
            PRIMARY KEY (run_id, observation_id, stage))
        """

    /// `ingested → preprocessed`, sending `observation.preprocessed`.
    static func first(_ name: String) -> ToyWorker {
        ToyWorker(name: name, inputStatus: .ingested, outputStatus: .preprocessed, kind: .preprocessed)
    }

    /// `preprocessed → differenced`, sending `observation.differenced`.
    static func second(_ name: String) -> ToyWorker {
        ToyWorker(name: name, inputStatus: .preprocessed, outputStatus: .differenced, kind: .differenced)
    }

    func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult {
        let call = calls.record(item.observationID, instance: context.instance)
        if call <= failures[item.observationID, default: 0] { throw ToyFailure(observation: item.observationID) }
        gate?.enterAndWait()
        let next = item.message?.continued(as: kind)
            ?? Envelope(kind: kind, runID: item.runID, traceID: UUID(), observationID: item.observationID)
        let (stage, run, observation) = (name, item.runID, item.observationID)
        let (persistCalls, persistFailures) = (calls, persistFailures[item.observationID, default: 0])
        return WorkResult(
            persist: { store in
                try store.connection.execute(
                    "INSERT INTO toy_results VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [run, observation, stage])
                if persistCalls.recordPersist(observation) <= persistFailures {
                    throw ToyFailure(observation: observation)
                }
            },
            downstream: [next], counts: ["toy": 1])
    }
}

struct ToyFailure: Error, CustomStringConvertible {
    let observation: UUID
    var description: String { "toy failure for \(observation)" }
}

/// Calls to `process` (and to `persist`), by observation and by instance;
/// thread-safe.
final class CallLog: Sendable {
    private struct Counts {
        var byObservation: [UUID: Int] = [:]
        var byInstance: [String: Int] = [:]
        var persists: [UUID: Int] = [:]
    }

    private let state = Mutex(Counts())

    /// Counts a call and returns how many there were for `id`, this one included.
    @discardableResult
    func record(_ id: UUID, instance: String) -> Int {
        state.withLock {
            $0.byInstance[instance, default: 0] += 1
            $0.byObservation[id, default: 0] += 1
            return $0.byObservation[id]!
        }
    }

    /// Counts a call to `persist` and returns how many there were for `id`.
    func recordPersist(_ id: UUID) -> Int {
        state.withLock {
            $0.persists[id, default: 0] += 1
            return $0.persists[id]!
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
        let deadline = Date().addingTimeInterval(60)
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
