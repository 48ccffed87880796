import Metrics
import Prometheus

/// The process's metrics: one Prometheus registry, served at `GET /metrics`,
/// behind swift-metrics.
///
/// ``bootstrap()`` points `MetricsSystem` at the registry once per process, so
/// metrics a worker makes with swift-metrics (`Counter(label: …)`) are served
/// too. The runtime's own metrics use the factory directly, so they land in
/// the registry even if the host process bootstrapped swift-metrics itself.
public enum RuntimeMetrics {
    /// The registry `/metrics` serves.
    public static let registry = PrometheusCollectorRegistry()

    /// Buckets of `nocturne_item_seconds`: 10 ms to 30 s, about three per decade.
    public static let itemSecondsBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(20), .seconds(30),
    ]

    /// The swift-metrics factory over ``registry``.
    static let factory: PrometheusMetricsFactory = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[StageMetrics.itemSeconds] = itemSecondsBuckets
        return factory
    }()

    private static let bootstrapOnce: Void = MetricsSystem.bootstrap(factory)

    /// Bootstraps `MetricsSystem` with ``registry``; later calls do nothing.
    /// Call it before anything else bootstraps swift-metrics, which allows
    /// one bootstrap per process.
    public static func bootstrap() {
        _ = bootstrapOnce
    }

    /// The registry's text exposition (Prometheus format 0.0.4).
    public static func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
