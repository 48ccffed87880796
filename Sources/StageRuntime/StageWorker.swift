import Database
import Envelopes
import Foundation
import Logging
import Store

/// The status an observation has in a run's `observation_progress`. It lives
/// in `Store`, which claims and advances items; the alias lets stages name it
/// with `import StageRuntime` alone.
public typealias ProgressStatus = Store.ProgressStatus

/// One piece of work a stage has claimed: an observation of a run, with the
/// message that announced it (nil when the runtime found it in the database:
/// the worker then reloads its inputs from the database and the archive).
public struct WorkItem: Sendable {
    public var runID: UUID
    public var observationID: UUID
    public var message: Envelope?

    public init(runID: UUID, observationID: UUID, message: Envelope?) {
        self.runID = runID
        self.observationID = observationID
        self.message = message
    }
}

/// What a worker may use while it works: a database connection for reads
/// (writes belong in ``WorkResult/persist``), the archive folder, a logger.
public struct WorkContext: @unchecked Sendable {
    // @unchecked: the store's connection is used by one task at a time.
    public var store: PipelineStore
    /// Where products (aligned images, D, S_corr) are written and read back.
    public var archive: URL
    public var logger: Logger
    /// This instance's name, e.g. `preprocess-2`.
    public var instance: String

    public init(store: PipelineStore, archive: URL, logger: Logger, instance: String) {
        self.store = store
        self.archive = archive
        self.logger = logger
        self.instance = instance
    }
}

/// The outcome of a worker's work on one item: the writes to commit and the
/// messages to send once they are committed.
public struct WorkResult: Sendable {
    /// The item's rows, written inside the runtime's transaction, which also
    /// advances the item's progress to the stage's output status. Must be
    /// idempotent (keyed by natural keys), because an item can be redone
    /// after a crash between commit and acknowledgement.
    public var persist: @Sendable (PipelineStore) throws -> Void
    /// Messages for the next stage, sent only after the commit.
    public var downstream: [Envelope]
    /// Counts to report (e.g. `candidates: 12`), for metrics and logs.
    public var counts: [String: Int]
    /// Messages for the stage's PUB socket (the alert stage's fan-out),
    /// published after the commit and after `downstream` is sent. Needs a
    /// `--publish` endpoint; without one they are dropped with a warning.
    public var published: [Publication]

    public init(persist: @escaping @Sendable (PipelineStore) throws -> Void, downstream: [Envelope],
                counts: [String: Int] = [:], published: [Publication] = []) {
        self.persist = persist
        self.downstream = downstream
        self.counts = counts
        self.published = published
    }
}

/// A stage's pure core as the runtime sees it: it takes items at one progress
/// status and leaves them at the next. The runtime owns everything else:
/// sockets, claiming, transactions, retries, metrics, shutdown.
public protocol StageWorker: Sendable {
    /// The stage's name in logs, metrics, leases and timestamps, e.g. `preprocess`.
    var name: String { get }
    /// The progress status it takes work at.
    var inputStatus: ProgressStatus { get }
    /// The progress status its committed work leaves the item at.
    var outputStatus: ProgressStatus { get }
    /// Does the work on one claimed item. Throwing marks the attempt failed;
    /// the runtime retries with backoff, then marks the item failed.
    func process(_ item: WorkItem, context: WorkContext) throws -> WorkResult
}

/// A stage that takes no messages but finds its own work (ingest watching a
/// folder): the runtime calls ``poll(context:)`` and commits and sends what
/// it returns, one item at a time.
public protocol SourceWorker: Sendable {
    var name: String { get }
    /// New work ready now (possibly none). Called repeatedly; each returned
    /// item is committed in its own transaction, then its messages are sent.
    func poll(context: WorkContext) throws -> [SourceResult]
    /// True once the source has nothing more to give (a fixed list of files,
    /// all taken): the runtime then commits what it holds and returns.
    var isExhausted: Bool { get }
}

extension SourceWorker {
    /// A watching source is never exhausted.
    public var isExhausted: Bool { false }
}

/// One item a source found: its writes (which must register the item's
/// progress row) and its messages.
public struct SourceResult: Sendable {
    public var observationID: UUID?
    public var result: WorkResult

    public init(observationID: UUID?, result: WorkResult) {
        self.observationID = observationID
        self.result = result
    }
}

/// Thrown by a worker whose item cannot be done yet because it waits on
/// other items (the embed stage's first map waits for the night's first
/// observations). The runtime releases the item without counting a try; a
/// later rescan claims it again.
public struct WorkNotReady: Error, CustomStringConvertible, Sendable {
    /// What it waits for, for the log.
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "not ready: \(reason)" }
}
