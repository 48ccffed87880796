import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StageRuntime
import Store
import Testing

/// `GET /health` and `GET /metrics` of a running toy stage, over HTTP on an
/// ephemeral port.
@Suite struct MetricsTests {
    @Test func healthAndMetricsDescribeTheStage() async throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(3)
        var worker = ToyWorker.first("toy-metrics")
        worker.failures = [ids[0]: .max]
        var configuration = fixture.configuration(stage: "toy-metrics", input: nil)
        configuration.maxAttempts = 2
        configuration.metricsPort = 0
        let stage = try RunningStage(worker: worker, configuration: configuration)
        let server = MetricsServer(port: configuration.metricsPort!, health: stage.health, logger: testLogger)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try await server.boundPort()
        #expect(port > 0)
        try await stage.waitUntil("both items to be dealt with") { $0.itemsDone == 2 && $0.itemsFailed == 1 }

        let (healthStatus, healthBody) = try await get(port: port, path: "/health")
        #expect(healthStatus == 200)
        let health = try #require(try JSONSerialization.jsonObject(with: healthBody) as? [String: Any])
        #expect(health["status"] as? String == "ok")
        #expect(health["stage"] as? String == "toy-metrics")
        #expect(health["instance"] as? String == "toy-metrics-1")
        #expect(health["run"] as? String == fixture.runID.uuidString)
        #expect(health["items_done"] as? Int == 2)
        #expect(health["items_failed"] as? Int == 1)
        #expect(health["items_skipped"] as? Int == 0)
        #expect(health["last_item_at"] is String && health["last_rescan_at"] is String)

        let (metricsStatus, metricsBody) = try await get(port: port, path: "/metrics")
        #expect(metricsStatus == 200)
        let lines = String(decoding: metricsBody, as: UTF8.self).split(separator: "\n").map(String.init)
        func value(_ name: String, _ labels: String...) -> Double? {
            lines.first { line in
                line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) }
            }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
        }
        let stageLabel = #"stage="toy-metrics""#
        #expect(value("nocturne_items_total", stageLabel, #"outcome="done""#) == 2)
        #expect(value("nocturne_items_total", stageLabel, #"outcome="failed""#) == 1)
        #expect(value("nocturne_items_total", stageLabel, #"outcome="skipped""#) == 0)
        #expect((value("nocturne_errors_total", stageLabel) ?? 0) >= 2)  // both tries of the failed item
        #expect(value("nocturne_item_seconds_count", stageLabel) == 2)
        #expect(value("nocturne_item_seconds_bucket", stageLabel, #"le="+Inf""#) == 2)
        let buckets = lines.filter { $0.hasPrefix("nocturne_item_seconds_bucket{") && $0.contains(stageLabel) }
        #expect(buckets.count == RuntimeMetrics.itemSecondsBuckets.count + 1)
        #expect(value("nocturne_queue_depth", stageLabel) == 3)  // at the rescan at start

        try await stage.stop()
        let (stoppedStatus, stoppedBody) = try await get(port: port, path: "/health")
        #expect(stoppedStatus == 503)
        let stopped = try #require(try JSONSerialization.jsonObject(with: stoppedBody) as? [String: Any])
        #expect(stopped["status"] as? String == "stopped")
    }

    @Test func healthReportsWaitingForTheDatabase() async throws {
        var configuration = RuntimeConfiguration(
            stage: "toy-no-db", runID: UUID(), databaseURL: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=5")
        configuration.retryBackoff = .milliseconds(10)
        let health = StageHealth(configuration: configuration)
        let server = MetricsServer(port: 0, health: health, logger: testLogger)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let (status, body) = try await get(port: try await server.boundPort(), path: "/health")
        #expect(status == 503)
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(json["status"] as? String == "waiting_for_database")
        #expect(json["items_done"] as? Int == 0)
    }

    private func get(port: Int, path: String) async throws -> (Int, Data) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        var request = URLRequest(url: url)
        request.timeoutInterval = patience.inSeconds
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

extension Duration {
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
