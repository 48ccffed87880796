import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Supervisor {
    /// Reaps exited children and schedules their restarts.
    ///
    /// - Returns: the instance to give up on, if one exhausted its restarts.
    func reap(_ slots: inout [Slot]) -> String? {
        let now = ContinuousClock.now
        for index in slots.indices {
            guard let status = slots[index].pendingExit ?? slots[index].child?.exitStatus() else { continue }
            slots[index].pendingExit = nil
            slots[index].child = nil
            let instance = slots[index].launch.instance
            switch options.restart.decide(exits: &slots[index].exits, now: now) {
            case .restart(let number, let delay):
                console.message("\(instance) exited with \(status); restart \(number) in \(delay.spoken)")
                slots[index].restartAt = now + delay
            case .giveUp(let exits):
                console.message(
                    "\(instance) exited \(exits) times within \(options.restart.window.spoken) "
                        + "(last with \(status)); giving up and stopping the pipeline. See \(logFile(of: instance).path)")
                return instance
            }
        }
        return nil
    }

    /// Starts the instances whose backoff has passed.
    func restartDue(_ slots: inout [Slot]) {
        let now = ContinuousClock.now
        for index in slots.indices {
            guard let due = slots[index].restartAt, due <= now else { continue }
            slots[index].restartAt = nil
            slots[index].restarts += 1
            start(&slots[index])
        }
    }

    /// Sends SIGTERM to every child, waits up to the grace period for them to
    /// finish the item in flight, then SIGKILLs the rest. Pending restarts
    /// are dropped. Returns once every child is reaped.
    func stopAll(_ slots: inout [Slot]) {
        for index in slots.indices { slots[index].restartAt = nil }
        let running = slots.indices.filter { slots[$0].child != nil }
        guard !running.isEmpty else { return }
        console.message("stopping \(running.count) process(es): SIGTERM, then SIGKILL after \(options.grace.spoken)")
        for index in running { slots[index].child?.send(SIGTERM) }
        let deadline = ContinuousClock.now + options.grace
        var left = running
        while !left.isEmpty, ContinuousClock.now < deadline {
            left.removeAll { slots[$0].child?.exitStatus() != nil }
            if !left.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        for index in left {
            console.message("\(slots[index].launch.instance) did not stop within \(options.grace.spoken); killing it")
            slots[index].child?.send(SIGKILL)
            while slots[index].child?.exitStatus() == nil { Thread.sleep(forTimeInterval: 0.01) }
        }
        for index in slots.indices { slots[index].child = nil }
    }
}

/// A one-way stop flag with an interruptible wait, shared between the
/// supervising thread and whoever asks it to stop.
final class StopFlag: @unchecked Sendable {
    // @unchecked: `stopped` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var stopped = false

    func request() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var isRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Sleeps up to `duration`, returning early when a stop is requested.
    func wait(_ duration: Duration) {
        let deadline = Date().addingTimeInterval(duration.seconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopped, condition.wait(until: deadline) {}
    }
}
