import FlyingFox
import FlyingSocks
import Foundation
import Logging
import ServiceLifecycle

/// The stage's HTTP face, on all interfaces at one port:
/// - `GET /metrics`: the process's metrics in Prometheus text format;
/// - `GET /health`: the instance's ``StageHealth`` as JSON, with status 200
///   while it is `ok` and 503 otherwise (waiting for the database, stopped).
///
/// A `Service`: run it in the same `ServiceGroup` as the stage, before it, so
/// that on shutdown the stage stops first and `/health` reports it to the end.
/// This file is the only user of FlyingFox in the project.
public struct MetricsServer: Service {
    private let server: HTTPServer
    private let health: StageHealth
    private let logger: Logger

    /// A server for `health` on `port` (0: a free port, logged once bound).
    public init(port: Int, health: StageHealth, logger: Logger = Logger(label: "nocturne.metrics")) {
        self.health = health
        self.logger = logger
        let address = sockaddr_in.inet(port: UInt16(clamping: port))
        server = HTTPServer(config: HTTPServer.Configuration(address: address, logger: HTTPLog(logger: logger)))
    }

    /// Serves until a graceful shutdown or cancellation.
    /// - Throws: when the port cannot be bound.
    public func run() async throws {
        let (server, health, logger) = (server, health, logger)
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: Data(RuntimeMetrics.exposition()))
        }
        await server.appendRoute("GET /health") { _ in
            HTTPResponse(statusCode: health.isHealthy ? .ok : .serviceUnavailable,
                         headers: [.contentType: "application/json"], body: health.json())
        }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask {
                    let port = try await Self.waitForPort(server)
                    logger.info("serving /metrics and /health", metadata: ["port": "\(port)"])
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await server.stop() }
        }
    }

    /// The port the server listens on, waiting (up to 5 s) until it does.
    public func boundPort() async throws -> Int {
        try await Self.waitForPort(server)
    }

    private static func waitForPort(_ server: HTTPServer) async throws -> Int {
        try await server.waitUntilListening()
        switch await server.listeningAddress {
        case .ip4(_, let port)?, .ip6(_, let port)?: return Int(port)
        default: return 0
        }
    }
}

/// FlyingFox's log lines, through swift-log at one level lower than it
/// gives (a scrape's connection errors are not a stage's warnings).
private struct HTTPLog: FlyingSocks.Logging {
    let logger: Logger

    func logDebug(_ debug: @autoclosure () -> String) { logger.trace("\(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.info("\(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.warning("\(error())") }
    func logCritical(_ critical: @autoclosure () -> String) { logger.error("\(critical())") }
}
