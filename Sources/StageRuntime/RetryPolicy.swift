/// Waits between tries: `base`, then doubling, never more than `maximum`.
struct Backoff: Sendable, Equatable {
    var base: Duration
    var maximum: Duration

    /// The wait after the `failures`-th consecutive failure (1-based):
    /// `base × 2^(failures−1)`, capped.
    func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = base
        for _ in 1..<min(failures, 62) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }
}

/// What happens to one item after a try fails: a value-type state machine,
/// fed one failure at a time, tested without sockets or SQL.
///
/// A lost database connection is not the item's fault, so it is not counted:
/// the runtime reconnects (waiting as long as it takes) and tries again.
/// Every other failure counts, and after `maxAttempts` counted failures the
/// item is given up (marked failed).
struct ItemAttempts: Sendable, Equatable {
    /// What to do next.
    enum Action: Sendable, Equatable {
        /// Reconnect to the database, then try again; nothing counted.
        case reconnect
        /// Wait, then try again.
        case retry(after: Duration)
        /// Mark the item failed; no more tries.
        case giveUp
    }

    /// Tries allowed, the first included.
    let maxAttempts: Int
    let backoff: Backoff
    /// Counted failures so far.
    private(set) var failures = 0

    init(maxAttempts: Int, backoff: Backoff) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
    }

    /// Records a failed try and says what to do.
    mutating func failed(connectionLost: Bool) -> Action {
        if connectionLost { return .reconnect }
        failures += 1
        return failures >= maxAttempts ? .giveUp : .retry(after: backoff.delay(afterFailures: failures))
    }
}
