import CZeroMQ

/// Typed access to the socket options a pipeline stage tunes. Times are
/// `Duration`s, with `nil` meaning "no limit" (libzmq's `-1`); they are sent
/// to libzmq in whole milliseconds, rounded up.
extension ZMQSocket {
    /// How long closing waits to deliver unsent messages (`ZMQ_LINGER`);
    /// `nil` waits forever, which can hang shutdown. Sockets start at zero.
    public func setLinger(_ linger: Duration?) throws {
        try setInt32(ZMQ_LINGER, "ZMQ_LINGER", Int32(clamping: zmqTimeout(linger)))
    }

    /// The current ``setLinger(_:)`` value.
    public func linger() throws -> Duration? {
        duration(fromZMQ: try int32(ZMQ_LINGER, "ZMQ_LINGER"))
    }

    /// Messages queued per peer for sending before send blocks or, for PUB,
    /// drops (`ZMQ_SNDHWM`; libzmq's default is 1000, 0 means no limit). Set
    /// before bind or connect: existing connections keep their old limit.
    public func setSendHighWaterMark(_ messages: Int) throws {
        precondition(messages >= 0, "negative high-water mark \(messages)")
        try setInt32(ZMQ_SNDHWM, "ZMQ_SNDHWM", Int32(clamping: messages))
    }

    /// The current ``setSendHighWaterMark(_:)`` value, in messages.
    public func sendHighWaterMark() throws -> Int {
        Int(try int32(ZMQ_SNDHWM, "ZMQ_SNDHWM"))
    }

    /// Messages queued per peer for receiving (`ZMQ_RCVHWM`); as for
    /// ``setSendHighWaterMark(_:)``.
    public func setReceiveHighWaterMark(_ messages: Int) throws {
        precondition(messages >= 0, "negative high-water mark \(messages)")
        try setInt32(ZMQ_RCVHWM, "ZMQ_RCVHWM", Int32(clamping: messages))
    }

    /// The current ``setReceiveHighWaterMark(_:)`` value, in messages.
    public func receiveHighWaterMark() throws -> Int {
        Int(try int32(ZMQ_RCVHWM, "ZMQ_RCVHWM"))
    }

    /// How long ``receive()`` waits before returning `nil` (`ZMQ_RCVTIMEO`);
    /// `nil`, the default, waits forever.
    public func setReceiveTimeout(_ timeout: Duration?) throws {
        try setInt32(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO", Int32(clamping: zmqTimeout(timeout)))
    }

    /// The current ``setReceiveTimeout(_:)`` value.
    public func receiveTimeout() throws -> Duration? {
        duration(fromZMQ: try int32(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO"))
    }

    /// How long ``send(_:)`` waits for queue space before returning `false`
    /// (`ZMQ_SNDTIMEO`); `nil`, the default, waits forever.
    public func setSendTimeout(_ timeout: Duration?) throws {
        try setInt32(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO", Int32(clamping: zmqTimeout(timeout)))
    }

    /// The current ``setSendTimeout(_:)`` value.
    public func sendTimeout() throws -> Duration? {
        duration(fromZMQ: try int32(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO"))
    }

    /// Queue messages only to peers whose connection is complete
    /// (`ZMQ_IMMEDIATE`), so a PUSH does not park work on a peer that is still
    /// (re)connecting. Off by default.
    public func setImmediate(_ immediate: Bool) throws {
        try setInt32(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE", immediate ? 1 : 0)
    }

    /// The current ``setImmediate(_:)`` value.
    public func immediate() throws -> Bool {
        try int32(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") != 0
    }

    /// SUB only: receive messages whose first frame starts with the UTF-8
    /// bytes of `prefix` (`ZMQ_SUBSCRIBE`); `""` receives everything.
    /// Subscriptions reach publishers asynchronously, and a PUB drops what it
    /// sends before then.
    public func subscribe(_ prefix: String) throws {
        try setBytes(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE", Array(prefix.utf8))
    }

    /// SUB only: like ``subscribe(_:)`` for a binary prefix.
    public func subscribe(bytes prefix: [UInt8]) throws {
        try setBytes(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE", prefix)
    }

    /// SUB only: removes one matching earlier ``subscribe(_:)``
    /// (`ZMQ_UNSUBSCRIBE`).
    public func unsubscribe(_ prefix: String) throws {
        try setBytes(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE", Array(prefix.utf8))
    }

    /// SUB only: like ``unsubscribe(_:)`` for a binary prefix.
    public func unsubscribe(bytes prefix: [UInt8]) throws {
        try setBytes(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE", prefix)
    }

    private func setInt32(_ option: Int32, _ name: String, _ value: Int32) throws(ZMQError) {
        var value = value
        try exclusive { () throws(ZMQError) in
            try zmqCheck(zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size),
                         "zmq_setsockopt(\(name))")
        }
    }

    private func int32(_ option: Int32, _ name: String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try exclusive { () throws(ZMQError) in
            try zmqCheck(zmq_getsockopt(handle, option, &value, &size), "zmq_getsockopt(\(name))")
        }
        return value
    }

    private func setBytes(_ option: Int32, _ name: String, _ bytes: [UInt8]) throws(ZMQError) {
        try exclusive { () throws(ZMQError) in
            // Nothing runs between the call and zmqCheck, so errno is intact.
            let status = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
            try zmqCheck(status, "zmq_setsockopt(\(name))")
        }
    }
}
