import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a call, for a synchronous command whose
/// main thread is busy supervising: the signals' default action (death) is
/// replaced by dispatch sources that run `handler` on a background queue.
///
/// Keep the trap alive as long as the signals should be caught; ``cancel()``
/// restores the default actions.
public final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources are created in init and only cancelled after.
    private let sources: [DispatchSourceSignal]
    private let signals: [Int32]

    /// Catches `signals` (SIGINT and SIGTERM by default) and calls `handler`
    /// with the signal number each time one arrives.
    public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        let queue = DispatchQueue(label: "nocturne.supervisor.signals")
        sources = signals.map { number in
            // Ignored at the process level so the default action does not
            // kill us; the dispatch source still sees each delivery.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops catching and restores the signals' default actions.
    public func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }

    /// The signal's name, e.g. `SIGINT`.
    public static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
