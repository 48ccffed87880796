import Metrics

/// The metrics of one stage, labelled `stage="<name>"`:
/// - `nocturne_items_total{stage,outcome}`: items done, failed (after the
///   last attempt) and skipped (already done, or another instance has them);
/// - `nocturne_errors_total{stage}`: every error logged as a warning or worse
///   (a failed attempt, a bad message, a lost connection, a send given up);
/// - `nocturne_item_seconds{stage}`: time from starting a successful attempt
///   to its messages being sent, as a histogram;
/// - `nocturne_queue_depth{stage}`: items at the stage's input status in its
///   run, refreshed at each rescan.
struct StageMetrics: Sendable {
    static let itemsTotal = "nocturne_items_total"
    static let errorsTotal = "nocturne_errors_total"
    static let itemSeconds = "nocturne_item_seconds"
    static let queueDepth = "nocturne_queue_depth"

    let done: Counter
    let failed: Counter
    let skipped: Counter
    let errors: Counter
    let duration: Timer
    let queue: Gauge

    init(stage: String) {
        // The factory directly, not `MetricsSystem`: bootstrapping here would
        // crash a host process that bootstrapped swift-metrics itself (it
        // allows one bootstrap per process). `StageRunner` bootstraps.
        let factory = RuntimeMetrics.factory
        func items(_ outcome: String) -> Counter {
            Counter(label: Self.itemsTotal, dimensions: [("stage", stage), ("outcome", outcome)], factory: factory)
        }
        done = items("done")
        failed = items("failed")
        skipped = items("skipped")
        errors = Counter(label: Self.errorsTotal, dimensions: [("stage", stage)], factory: factory)
        duration = Timer(label: Self.itemSeconds, dimensions: [("stage", stage)], factory: factory)
        queue = Gauge(label: Self.queueDepth, dimensions: [("stage", stage)], factory: factory)
    }
}
