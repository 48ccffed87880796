import CZeroMQ
import Glibc

/// A libzmq context (`zmq_ctx_new`): the I/O threads and the namespace for
/// `inproc://` endpoints that its sockets share.
///
/// ## Lifetime
/// libzmq's `zmq_ctx_term` blocks until every socket of the context is
/// closed, so sockets must close first. Every ``ZMQSocket`` keeps a strong
/// reference to its context, which makes that order automatic: the context is
/// terminated in `deinit` only after its last socket is gone. Because sockets
/// default to a linger of zero, termination then never waits for unsent
/// messages.
///
/// Thread-safe, as libzmq documents contexts to be; share one per process.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// A new context with libzmq's defaults (one I/O thread).
    ///
    /// - Throws: ``ZMQError`` if libzmq cannot create one (out of memory or
    ///   file descriptors).
    public init() throws {
        let handle = zmq_ctx_new()
        try zmqCheck(handle == nil ? -1 : 0, "zmq_ctx_new")
        self.handle = handle!
    }

    /// Makes every blocking call on this context's sockets, now and later,
    /// fail with ``ZMQError/isContextTerminated`` (`zmq_ctx_shutdown`).
    ///
    /// This is how one thread tells stages blocked in receive or poll on other
    /// threads to stop. The sockets stay open until released.
    public func shutdown() {
        // Fails only for a handle that is not a context, which init rules out.
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // A signal can interrupt the wait for sockets to close; libzmq asks
        // callers to repeat the call in that case.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
