import Foundation
import Pipelines
import Store

/// A run's progress at one moment, as the status line shows it and idle
/// detection compares it.
public struct RunCounts: Sendable, Equatable {
    /// Items per progress status (`ingested` … `alerted`, `failed`).
    public var byStatus: [String: Int]
    /// Failed items per stage they failed at (stage kind names).
    public var failedByStage: [String: Int]
    /// Alerts the run raised.
    public var alerts: Int

    public init(byStatus: [String: Int] = [:], failedByStage: [String: Int] = [:], alerts: Int = 0) {
        self.byStatus = byStatus
        self.failedByStage = failedByStage
        self.alerts = alerts
    }

    /// Reads the counts of `runID`.
    public init(store: PipelineStore, runID: UUID) throws {
        self.init(alerts: try store.alertCount(runID: runID))
        for count in try store.progressCounts(runID: runID) {
            byStatus[count.status.rawValue, default: 0] += count.items
            if count.status == .failed {
                // The runtime records the worker's name; accept the executable's too.
                let stage = (count.failedStage ?? "?").replacingOccurrences(of: "nocturne-", with: "")
                failedByStage[stage, default: 0] += count.items
            }
        }
    }

    /// Every item of the run.
    public var total: Int { byStatus.values.reduce(0, +) }

    /// Items that failed.
    public var failed: Int { byStatus["failed", default: 0] }

    /// Items that reached `kind`'s output status in this run: those at that
    /// status or a later one, and failed items that failed at a later stage.
    public func reached(_ kind: StageKind) -> Int {
        let done = StageKind.allCases.filter { $0 >= kind }.reduce(0) { $0 + byStatus[$1.outputStatus, default: 0] }
        let failedLater = failedByStage.reduce(0) { sum, entry in
            guard let stage = StageKind(rawValue: entry.key), stage > kind else { return sum }
            return sum + entry.value
        }
        return done + failedLater
    }

    /// Items waiting at `kind`'s input status (claimed or not); 0 for ingest.
    public func waiting(_ kind: StageKind) -> Int {
        kind.inputStatus.map { byStatus[$0, default: 0] } ?? 0
    }

    /// Whether every item stands at one of `terminal` (and there is at least one).
    public func allTerminal(_ terminal: Set<String>) -> Bool {
        total > 0 && byStatus.allSatisfy { terminal.contains($0.key) || $0.value == 0 }
    }

    /// The status line: per stage the items that reached its output and (in
    /// brackets) the items waiting at its input, then failures, alerts and
    /// restarts. `kinds` are the stages shown, in chain order.
    public func statusLine(kinds: [StageKind], restarts: Int) -> String {
        let stages = kinds.map { kind in
            kind.takesInput ? "\(kind.rawValue) \(reached(kind)) [\(waiting(kind))]" : "\(kind.rawValue) \(reached(kind))"
        }
        return (stages + ["failed \(failed)", "alerts \(alerts)", "restarts \(restarts)"]).joined(separator: " | ")
    }
}
