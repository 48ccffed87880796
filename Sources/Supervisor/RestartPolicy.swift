import Foundation

/// When to restart an instance that exited, and when to give up on it.
///
/// Each unexpected exit counts against the instance for `window`. The n-th
/// exit within the window is restarted after `base × 2^(n-1)`, capped at
/// `maximum` (1, 2, 4, … 30 s by default). An exit that would be restart
/// number `maxRestarts + 1` within the window ends the pipeline instead: a
/// stage that cannot stay up is a fault for an operator, not for retries.
public struct RestartPolicy: Sendable, Equatable {
    /// Restarts of one instance allowed within ``window``.
    public var maxRestarts: Int
    /// How long an exit counts against the instance (default 10 minutes).
    public var window: Duration
    /// The wait before the first restart (default 1 s).
    public var base: Duration
    /// The longest wait (default 30 s).
    public var maximum: Duration

    public init(maxRestarts: Int = 5, window: Duration = .seconds(600), base: Duration = .seconds(1),
                maximum: Duration = .seconds(30)) {
        self.maxRestarts = maxRestarts
        self.window = window
        self.base = base
        self.maximum = maximum
    }

    /// What to do after an exit.
    public enum Decision: Equatable, Sendable {
        /// Restart after `delay`; this is restart `number` within the window.
        case restart(number: Int, delay: Duration)
        /// Too many restarts within the window: `exits` counted.
        case giveUp(exits: Int)
    }

    /// Decides on an exit at `now`, given the earlier exits of the same
    /// instance (which this prunes to the window and extends with `now`).
    public func decide(exits: inout [ContinuousClock.Instant], now: ContinuousClock.Instant) -> Decision {
        exits.removeAll { now - $0 > window }
        exits.append(now)
        guard exits.count <= maxRestarts else { return .giveUp(exits: exits.count) }
        return .restart(number: exits.count, delay: delay(before: exits.count))
    }

    /// The wait before restart `number` (1-based).
    public func delay(before number: Int) -> Duration {
        var delay = base
        for _ in 1..<max(number, 1) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }

    /// "1 s", "0.25 s", "30 s": how the supervisor's messages say a wait.
    var spoken: String {
        let value = seconds
        if value == value.rounded() { return "\(Int(value)) s" }
        return "\((value * 100).rounded() / 100) s"
    }
}
