import Database
import Foundation
import Logging
import Store

/// The loop's one database connection, and the patience to get it back.
///
/// While the server is unreachable, ``connected()`` waits with backoff
/// (doubling up to the configured maximum), logs "waiting for database at
/// <server>: <error>" at most every ``logInterval``, and reports
/// `waiting_for_database` in `/health`; it returns once connected, or nil
/// when a stop is requested meanwhile. Used only from the loop thread.
final class DatabaseLink {
    private let url: String
    /// Where the server is, for logs: host or socket directory, port, database.
    let place: String
    private let backoff: Backoff
    private let stop: StopSignal
    private let health: StageHealth
    private let metrics: StageMetrics
    private let logger: Logger
    private var store: PipelineStore?

    /// The longest the log stays silent about a wait for the database.
    static let logInterval: Duration = .seconds(5)

    init(configuration: RuntimeConfiguration, stop: StopSignal, health: StageHealth, metrics: StageMetrics,
         logger: Logger) {
        url = configuration.databaseURL
        place = (try? ConnectionInfo(parsing: url).serverDescription) ?? "the configured server"
        backoff = Backoff(base: max(configuration.retryBackoff, .milliseconds(10)), maximum: configuration.maximumBackoff)
        self.stop = stop
        self.health = health
        self.metrics = metrics
        self.logger = logger
    }

    /// The open store, connecting first (and waiting as long as it takes).
    /// - Returns: nil when a stop is requested before the database answers.
    func connected() -> PipelineStore? {
        if let store, store.connection.isConnected { return store }
        store = nil
        var failures = 0
        var lastLog: ContinuousClock.Instant?
        let waitStarted = ContinuousClock.now
        while !stop.isRequested {
            do {
                let connection = try DatabaseConnection(url: url, logger: logger)
                let store = PipelineStore(connection: connection)
                self.store = store
                if failures > 0 {
                    let waited = ContinuousClock.now - waitStarted
                    logger.notice("database is back", metadata: ["server": "\(place)", "waited": "\(waited)"])
                }
                health.set(.ok)
                return store
            } catch {
                failures += 1
                health.set(.waitingForDatabase)
                if lastLog.map({ ContinuousClock.now - $0 >= Self.logInterval }) ?? true {
                    logger.warning("waiting for database at \(place): \(Self.reason(error))")
                    lastLog = .now
                }
                if stop.wait(backoff.delay(afterFailures: failures)) { break }
            }
        }
        return nil
    }

    /// Drops the connection after `error` broke it; the next
    /// ``connected()`` opens a new one.
    func lost(_ error: any Error) {
        metrics.errors.increment()
        logger.warning("lost the database connection; reconnecting", metadata: [
            "server": "\(place)", "error": "\(Self.reason(error))",
        ])
        store?.connection.close()
        store = nil
        health.set(.waitingForDatabase)
    }

    /// Runs `body` on the store, reconnecting and running it again after a
    /// lost connection. Other errors are thrown.
    /// - Returns: nil when a stop is requested while the database is away.
    func withStore<T>(_ body: (PipelineStore) throws -> T) throws -> T? {
        while let store = connected() {
            do {
                return try body(store)
            } catch where Self.isConnectionFailure(error) {
                lost(error)
            }
        }
        return nil
    }

    /// Closes the connection (the loop is ending).
    func close() {
        store?.connection.close()
        store = nil
    }

    /// True for errors that a new connection may cure.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.isConnectionFailure ?? false
    }

    /// libpq's own words, without our server prefix (the log line names it).
    static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
