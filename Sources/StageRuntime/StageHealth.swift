import Foundation
import Synchronization

/// What one stage instance reports about itself: `GET /health` serves it, and
/// tests and embedding code read ``snapshot`` to see how far it got. Written
/// by the loop thread, read from anywhere.
public final class StageHealth: Sendable {
    /// Whether the instance can work.
    public enum State: String, Sendable, Codable {
        /// Connected and working (or waiting for work).
        case ok
        /// Starting, or the database is unreachable: the instance waits and
        /// retries; nothing is lost meanwhile.
        case waitingForDatabase = "waiting_for_database"
        /// The loop has returned.
        case stopped
    }

    /// The instance's state at one moment.
    public struct Snapshot: Sendable, Equatable, Codable {
        public var stage: String
        public var instance: String
        public var runID: UUID
        public var state: State
        /// Items committed (and sent on) by this instance since it started.
        public var itemsDone: Int
        /// Items this instance marked failed after their last attempt.
        public var itemsFailed: Int
        /// Messages whose item was already done or held by another instance.
        public var itemsSkipped: Int
        /// When the last item was done or failed.
        public var lastItemAt: Date?
        /// When the last search of the database for unclaimed work ended
        /// (nil before the first, which runs at start). A stale value means
        /// the loop is stuck in one item.
        public var lastRescanAt: Date?
        /// The endpoint the input socket bound (the real port for `tcp://*:0`
        /// or `tcp://127.0.0.1:*`), once bound.
        public var inputEndpoint: String?
        /// The endpoint the PUB socket bound, once bound.
        public var publishEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case stage, instance
            case runID = "run"
            case state = "status"
            case itemsDone = "items_done"
            case itemsFailed = "items_failed"
            case itemsSkipped = "items_skipped"
            case lastItemAt = "last_item_at"
            case lastRescanAt = "last_rescan_at"
            case inputEndpoint = "input"
            case publishEndpoint = "publish"
        }
    }

    private let state: Mutex<Snapshot>

    /// A report for the instance `configuration` describes, waiting for its
    /// database until the loop connects.
    public init(configuration: RuntimeConfiguration) {
        state = Mutex(Snapshot(
            stage: configuration.stage, instance: configuration.instance, runID: configuration.runID,
            state: .waitingForDatabase, itemsDone: 0, itemsFailed: 0, itemsSkipped: 0))
    }

    /// The current report.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// True while the state is ``State/ok``: `/health` answers 200.
    public var isHealthy: Bool { snapshot.state == .ok }

    /// The report as `/health` serves it: JSON with sorted keys and ISO 8601 times.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain strings, numbers and dates cannot fail.
        return (try? encoder.encode(snapshot)) ?? Data("{}".utf8)
    }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }

    func set(_ newState: State) {
        update { $0.state = newState }
    }
}
