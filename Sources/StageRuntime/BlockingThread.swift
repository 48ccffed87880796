import Foundation
import Logging
import ServiceLifecycle

/// Runs blocking work (libpq, libzmq, image processing) on a thread of its
/// own and awaits it, so the few threads of Swift's cooperative pool are
/// never held by a call that may block for minutes.
enum BlockingThread {
    /// Stack for the loop thread. Image code keeps large values on the stack
    /// in places, and the default for secondary threads can be small.
    static let stackSize = 16 << 20

    /// Starts `body` on a new thread named `name` and returns what it
    /// returns, or throws what it throws. The thread ends with `body`.
    ///
    /// Cancelling the awaiting task does not stop `body`; callers give it a
    /// ``StopSignal`` for that.
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.stackSize = stackSize
            thread.start()
        }
    }

    /// Runs a stage's loop on its own thread until it returns; a graceful
    /// shutdown or a cancellation logs `onShutdown` and sets the loop's stop
    /// signal, which the loop reads between items.
    static func runUntilShutdown(name: String, logger: Logger, onShutdown: String,
                                 _ loop: @escaping @Sendable (StopSignal) throws -> Void) async throws {
        let stop = StopSignal()
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await run(name: name) { try loop(stop) }
        } onCancelOrGracefulShutdown: {
            logger.info("\(onShutdown)")
            stop.request()
        }
    }
}
