import CZeroMQ
import Synchronization

/// A libzmq socket, closed (`zmq_close`) when the last reference goes.
///
/// ## Threads
/// libzmq sockets are not thread-safe: one thread may use a socket at a time,
/// and moving it to another thread needs a full memory barrier. This class is
/// `@unchecked Sendable` so a socket can be handed to a `Task` or a `Thread`
/// (a stage typically builds its sockets, then moves them into its loop), and
/// every operation claims the socket with an atomic flag for its duration.
/// The flag's acquire/release ordering is the barrier libzmq asks for, and a
/// second thread arriving while the first is inside a call traps with a clear
/// message instead of corrupting libzmq's state. The compiler cannot check
/// this, so: one owner at a time.
///
/// Blocking calls (``receive()``, ``send(_:)``, ``poll(_:timeout:)``) block the
/// calling thread. On Swift's small cooperative pool, run long waits on a
/// dedicated thread or use timeouts.
///
/// ## Defaults
/// `ZMQ_LINGER` is set to 0 on creation, so closing a socket (and therefore
/// terminating its ``ZMQContext``) never hangs on messages a peer has not
/// taken; unsent messages are dropped. Use ``setLinger(_:)`` to change that.
public final class ZMQSocket: @unchecked Sendable {
    /// The socket types supported; each is libzmq's pattern of the same name.
    public enum Kind: Sendable, CustomStringConvertible {
        /// Fans messages out round-robin to connected PULL sockets.
        case push
        /// Fair-queues messages from connected PUSH sockets.
        case pull
        /// Publishes to every SUB whose subscription prefixes the first frame;
        /// drops messages when no subscriber is ready.
        case pub
        /// Receives from PUB sockets what matches its subscriptions; nothing
        /// until ``ZMQSocket/subscribe(_:)`` is called.
        case sub
        /// Exclusive two-way link with one other PAIR socket.
        case pair
        /// Asynchronous request socket, round-robin to peers.
        case dealer
        /// Prefixes each received message with the sender's routing-id frame
        /// and routes sends by their first frame.
        case router

        var rawValue: Int32 {
            switch self {
            case .push: ZMQ_PUSH
            case .pull: ZMQ_PULL
            case .pub: ZMQ_PUB
            case .sub: ZMQ_SUB
            case .pair: ZMQ_PAIR
            case .dealer: ZMQ_DEALER
            case .router: ZMQ_ROUTER
            }
        }

        /// libzmq's name for the type, e.g. `PUSH`.
        public var description: String {
            switch self {
            case .push: "PUSH"
            case .pull: "PULL"
            case .pub: "PUB"
            case .sub: "SUB"
            case .pair: "PAIR"
            case .dealer: "DEALER"
            case .router: "ROUTER"
            }
        }
    }

    /// The pattern this socket plays.
    public let kind: Kind
    /// The context, kept alive until this socket is closed.
    public let context: ZMQContext
    let handle: UnsafeMutableRawPointer
    private let inUse = Atomic<Bool>(false)

    /// A new socket of `kind` in `context`, with a linger of zero.
    ///
    /// - Throws: ``ZMQError`` when libzmq cannot create it, for instance after
    ///   ``ZMQContext/shutdown()`` or when out of file descriptors.
    public init(_ kind: Kind, context: ZMQContext) throws {
        let handle = zmq_socket(context.handle, kind.rawValue)
        try zmqCheck(handle == nil ? -1 : 0, "zmq_socket(\(kind))")
        var linger: Int32 = 0
        do {
            try zmqCheck(zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size),
                         "zmq_setsockopt(ZMQ_LINGER)")
        } catch {
            zmq_close(handle)
            throw error
        }
        self.kind = kind
        self.context = context
        self.handle = handle!
    }

    deinit {
        // Fails only for a handle that is not a socket, which init rules out.
        zmq_close(handle)
    }

    /// Accepts connections on `endpoint` (`zmq_bind`) and returns the endpoint
    /// actually bound, from `ZMQ_LAST_ENDPOINT`.
    ///
    /// For an ephemeral TCP port pass `tcp://127.0.0.1:*` (libzmq's own
    /// spelling; port `0` also works) and connect peers to the returned
    /// string, e.g. `tcp://127.0.0.1:45017`. `inproc://name` binds within the
    /// context only.
    ///
    /// - Throws: ``ZMQError`` naming `endpoint`, e.g. address in use or
    ///   protocol not supported.
    @discardableResult
    public func bind(_ endpoint: String) throws -> String {
        try exclusive { () throws(ZMQError) -> String in
            try zmqCheck(zmq_bind(handle, endpoint), "zmq_bind", endpoint: endpoint)
            return try readLastEndpoint()
        }
    }

    /// Connects to `endpoint` (`zmq_connect`). libzmq connects in the
    /// background and reconnects after failures, so this succeeds even while
    /// no peer is bound there yet.
    ///
    /// - Throws: ``ZMQError`` naming `endpoint` for a malformed endpoint or an
    ///   unsupported transport.
    public func connect(_ endpoint: String) throws {
        try exclusive { () throws(ZMQError) in
            try zmqCheck(zmq_connect(handle, endpoint), "zmq_connect", endpoint: endpoint)
        }
    }

    /// Stops accepting on an endpoint returned by ``bind(_:)`` (`zmq_unbind`).
    public func unbind(_ endpoint: String) throws {
        try exclusive { () throws(ZMQError) in
            try zmqCheck(zmq_unbind(handle, endpoint), "zmq_unbind", endpoint: endpoint)
        }
    }

    /// Drops a connection made by ``connect(_:)`` (`zmq_disconnect`).
    public func disconnect(_ endpoint: String) throws {
        try exclusive { () throws(ZMQError) in
            try zmqCheck(zmq_disconnect(handle, endpoint), "zmq_disconnect", endpoint: endpoint)
        }
    }

    /// The endpoint of the latest bind or connect (`ZMQ_LAST_ENDPOINT`), empty
    /// before either.
    public func lastEndpoint() throws -> String {
        try exclusive { () throws(ZMQError) -> String in try readLastEndpoint() }
    }

    private func readLastEndpoint() throws(ZMQError) -> String {
        // libzmq's endpoint strings are short; 1 KiB leaves ample room for
        // IPv6 addresses and long ipc paths.
        var bytes = [CChar](repeating: 0, count: 1024)
        var size = bytes.count
        try zmqCheck(zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &bytes, &size),
                     "zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` as the socket's only user; see "Threads" above.
    @discardableResult
    func exclusive<Result, E: Error>(_ body: () throws(E) -> Result) throws(E) -> Result {
        claim()
        defer { release() }
        return try body()
    }

    func claim() {
        let (claimed, _) = inUse.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(claimed, "\(kind) socket used from two threads at once; a ZMQSocket belongs to one thread at a time")
    }

    func release() {
        inUse.store(false, ordering: .releasing)
    }
}
