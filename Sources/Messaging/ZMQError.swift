import CZeroMQ
import Glibc

/// A failed libzmq call, carrying libzmq's own message (`zmq_strerror`) and,
/// where one was involved, the endpoint.
///
/// Two failures have their own tests because callers act on them:
/// ``isContextTerminated`` (the context was shut down: leave the loop) and
/// ``isInterrupted`` (a signal arrived during a blocking call: check for
/// shutdown, then call again). "Would block" never reaches callers: receive
/// returns `nil` and send returns `false` instead.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case interrupted
        case contextTerminated
        case wouldBlock
        case other
    }

    private let kind: Kind
    /// The `errno` value libzmq reported (`zmq_errno()`), e.g. `EADDRINUSE`.
    public let code: Int32
    /// libzmq's text for ``code``, from `zmq_strerror`.
    public let message: String
    /// The libzmq call that failed, with the option for `zmq_setsockopt`.
    public let operation: String
    /// The endpoint the call was about, for bind, connect and the like.
    public let endpoint: String?

    fileprivate init(code: Int32, operation: String, endpoint: String?) {
        switch code {
        case EINTR: kind = .interrupted
        case ETERM: kind = .contextTerminated
        case EAGAIN: kind = .wouldBlock
        default: kind = .other
        }
        self.code = code
        self.message = String(cString: zmq_strerror(code))
        self.operation = operation
        self.endpoint = endpoint
    }

    /// A signal interrupted a blocking call (`EINTR`). Nothing was sent or
    /// received; the call may simply be made again.
    public var isInterrupted: Bool { kind == .interrupted }

    /// The socket's context was shut down or terminated (`ETERM`); the socket
    /// can do nothing more except be released.
    public var isContextTerminated: Bool { kind == .contextTerminated }

    /// No message could be sent or received without blocking (`EAGAIN`).
    var isWouldBlock: Bool { kind == .wouldBlock }

    /// The call, the endpoint if any, libzmq's message and the errno value.
    public var description: String {
        let target = endpoint.map { " on \($0)" } ?? ""
        return "\(operation)\(target) failed: \(message) (errno \(code))"
    }
}

/// The one place a libzmq status becomes an error: `result` is the call's
/// return value, `-1` meaning failure. Calls returning a pointer pass
/// `-1` for `NULL`.
///
/// `zmq_errno()` is read before anything else can run, so the argument list
/// must hold the call itself, not a value computed earlier.
@discardableResult
func zmqCheck(_ result: Int32, _ operation: String, endpoint: String? = nil) throws(ZMQError) -> Int32 {
    guard result == -1 else { return result }
    throw ZMQError(code: zmq_errno(), operation: operation, endpoint: endpoint)
}
