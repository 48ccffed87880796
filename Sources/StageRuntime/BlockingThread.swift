import Foundation

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
}
