import Database
import Foundation
import Logging
import ServiceLifecycle
import Store

/// Work a stage does beside its items, on its own thread and its own
/// database connection: the alert stage's channel dispatchers and group
/// timers. `tick` runs every `interval`; an error is logged and the next
/// tick tries again (a lost connection is reopened), so one failing
/// channel never stops the stage or another loop.
public struct BackgroundLoop: Service {
    /// Thread name and log label, e.g. `deliver.webhook.ops`.
    public let name: String
    public let interval: Duration
    let tick: @Sendable (PipelineStore, StopSignal) throws -> Void
    let databaseURL: String
    let logger: Logger

    /// - Parameter tick: one round of work; it may check the stop signal
    ///   between slow steps.
    public init(name: String, interval: Duration, databaseURL: String, logger: Logger,
                tick: @escaping @Sendable (PipelineStore, StopSignal) throws -> Void) {
        self.name = name
        self.interval = interval
        self.databaseURL = databaseURL
        self.logger = logger
        self.tick = tick
    }

    public func run() async throws {
        let (name, interval, url, logger, tick) = (self.name, self.interval, databaseURL, self.logger, self.tick)
        try await BlockingThread.runUntilShutdown(name: name, logger: logger, onShutdown: "\(name): stopping") { stop in
            var store: PipelineStore?
            var lastError = ""
            while !stop.isRequested {
                do {
                    if store == nil { store = PipelineStore(connection: try DatabaseConnection(url: url, logger: logger)) }
                    try tick(store!, stop)
                    lastError = ""
                } catch {
                    if DatabaseLink.isConnectionFailure(error) { store = nil }
                    let text = "\(error)"
                    if text != lastError { logger.warning("\(name): \(text)") }
                    lastError = text
                }
                if stop.wait(interval) { break }
            }
        }
    }
}
