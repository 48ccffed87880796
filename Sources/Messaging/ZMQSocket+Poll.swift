import CZeroMQ

/// What a poll waits for, and what it found.
public struct ZMQPollEvents: OptionSet, Sendable, Hashable {
    /// libzmq's `ZMQ_POLLIN`/`ZMQ_POLLOUT` bits, as `zmq_pollitem_t` holds them.
    public let rawValue: Int16
    /// Events from libzmq's bits.
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// A message can be received without blocking (`ZMQ_POLLIN`).
    public static let readable = ZMQPollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// A message can be sent without blocking (`ZMQ_POLLOUT`).
    public static let writable = ZMQPollEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// Waiting on several sockets at once (`zmq_poll`), so a stage can wait for
/// input and still notice, within its timeout, that it should stop.
extension ZMQSocket {
    /// Waits until at least one socket has one of its requested events, or
    /// `timeout` passes (`nil` waits forever, `.zero` only checks).
    ///
    /// Each socket may appear once; the caller must own them all, as for any
    /// other call.
    ///
    /// - Returns: the events ready on each socket, in the order given; all
    ///   empty when the timeout passed.
    /// - Throws: ``ZMQError``; ``ZMQError/isInterrupted`` if a signal arrived
    ///   (poll again after checking for shutdown) and
    ///   ``ZMQError/isContextTerminated`` after ``ZMQContext/shutdown()``.
    public static func poll(
        _ items: [(socket: ZMQSocket, events: ZMQPollEvents)], timeout: Duration?
    ) throws -> [ZMQPollEvents] {
        precondition(Set(items.map { ObjectIdentifier($0.socket) }).count == items.count,
                     "a socket appears more than once in one poll")
        for item in items { item.socket.claim() }
        defer { for item in items { item.socket.release() } }
        var pollItems = items.map {
            zmq_pollitem_t(socket: $0.socket.handle, fd: 0, events: $0.events.rawValue, revents: 0)
        }
        let count = Int32(pollItems.count)
        try zmqCheck(zmq_poll(&pollItems, count, zmqTimeout(timeout)), "zmq_poll")
        return pollItems.map { ZMQPollEvents(rawValue: $0.revents) }
    }

    /// Waits for `events` on several sockets; see ``poll(_:timeout:)-swift.type.method``.
    public static func poll(
        _ sockets: [ZMQSocket], for events: ZMQPollEvents = .readable, timeout: Duration?
    ) throws -> [ZMQPollEvents] {
        try poll(sockets.map { (socket: $0, events: events) }, timeout: timeout)
    }

    /// Waits for `events` on this socket alone; returns those ready, empty
    /// when `timeout` passed.
    public func poll(_ events: ZMQPollEvents = .readable, timeout: Duration?) throws -> ZMQPollEvents {
        try Self.poll([(socket: self, events: events)], timeout: timeout)[0]
    }
}
