import Foundation
import Pipelines
import Store

/// Watches a run from the database for the supervisor, on the supervisor's
/// own connection: shows the status line (every second on a terminal, every
/// 15 s otherwise) and, with `untilIdle`, asks for a stop once the run is idle.
///
/// Idle means: at least one item, every item at a terminal status (`alerted`
/// or `failed` for a full chain), and no count changed for `idleSeconds`.
///
/// Used from the supervising thread only (``check(restarts:)`` is the
/// supervisor's monitor), so it needs no locking.
public final class RunMonitor {
    private let store: PipelineStore
    private let runID: UUID
    private let kinds: [StageKind]
    private let terminal: Set<String>
    private let console: Console
    private let untilIdle: Bool
    private let idleSeconds: Double
    private let statusInterval: Double
    private let clock = ContinuousClock()
    private var lastPoll: ContinuousClock.Instant?
    private var lastStatus: ContinuousClock.Instant?
    private var lastFailure: ContinuousClock.Instant?
    private var stableSince: ContinuousClock.Instant?
    /// The counts seen at the last poll.
    public private(set) var counts: RunCounts?

    /// A monitor of `runID` as run by `definition`, reading through `store`
    /// (which it uses exclusively while it runs).
    public init(store: PipelineStore, runID: UUID, definition: PipelineDefinition, console: Console,
                untilIdle: Bool, idleSeconds: Double = 10, statusInterval: Double? = nil) {
        self.store = store
        self.runID = runID
        self.kinds = definition.kinds
        self.terminal = definition.terminalStatuses
        self.console = console
        self.untilIdle = untilIdle
        self.idleSeconds = idleSeconds
        self.statusInterval = statusInterval ?? (console.interactive ? 1 : 15)
    }

    /// Polls the database at most once a second, shows the status when due,
    /// and says whether the run is idle (with `untilIdle`).
    public func check(restarts: Int) -> Supervisor.Verdict {
        let now = clock.now
        if let lastPoll, now - lastPoll < .seconds(1) { return .keepRunning }
        lastPoll = now
        let fresh: RunCounts
        do {
            fresh = try RunCounts(store: store, runID: runID)
        } catch {
            reportFailure(error, now: now)
            return .keepRunning
        }
        if fresh != counts { stableSince = now }
        counts = fresh
        if lastStatus.map({ now - $0 >= .seconds(statusInterval) }) ?? true {
            lastStatus = now
            console.status(fresh.statusLine(kinds: kinds, restarts: restarts))
        }
        guard untilIdle, fresh.allTerminal(terminal), let stableSince,
              now - stableSince >= .seconds(idleSeconds) else { return .keepRunning }
        console.status(fresh.statusLine(kinds: kinds, restarts: restarts))
        console.message("run idle for \(Int(idleSeconds)) s with every item finished; stopping")
        return .stop
    }

    /// A database hiccup must not stop the pipeline (the stages ride it out
    /// themselves): say so at most every 15 s and reconnect.
    private func reportFailure(_ error: any Error, now: ContinuousClock.Instant) {
        if lastFailure.map({ now - $0 >= .seconds(15) }) ?? true {
            lastFailure = now
            console.message("status unavailable: \(error)")
        }
        try? store.connection.reset()
    }
}
