import Foundation

/// A one-way "stop" flag that the async side sets (on SIGTERM, graceful
/// shutdown or cancellation) and the blocking loop reads between items and
/// at every poll timeout. Waits through ``wait(_:)`` end as soon as it is set,
/// so a backoff or a wait for the database never delays a shutdown.
public final class StopSignal: @unchecked Sendable {
    // @unchecked: `stopped` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var stopped = false

    /// Asks the loop to stop; safe from any thread, any number of times.
    func request() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether a stop was requested.
    public var isRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Sleeps up to `duration`, returning early when a stop is requested.
    /// - Returns: true if a stop was requested (before or during the wait).
    @discardableResult
    public func wait(_ duration: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(duration.inSeconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopped, condition.wait(until: deadline) {}
        return stopped
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
