import CZeroMQ

/// Multipart send and receive. A message is one or more frames that peers
/// receive all together or not at all.
///
/// ## Blocking, timeouts and signals
/// - ``send(_:)`` and ``receive()`` block up to the socket's send or receive
///   timeout (forever by default). When it expires, send returns `false` and
///   receive returns `nil`; nothing is thrown, since waiting in vain is
///   routine for a stage.
/// - ``trySend(_:)`` and ``tryReceive()`` never block (`ZMQ_DONTWAIT`) and
///   report "not now" the same way.
/// - If a signal interrupts a blocking call (`EINTR`), it throws a
///   ``ZMQError`` with ``ZMQError/isInterrupted``: nothing was transferred,
///   and the caller should check whether it is shutting down, then call again.
///   The library does not retry by itself because that would hide the signal
///   the caller may be waiting for.
/// - After ``ZMQContext/shutdown()`` every call throws with
///   ``ZMQError/isContextTerminated``.
extension ZMQSocket {
    /// Sends `frames` as one message, blocking up to the send timeout for
    /// queue space.
    ///
    /// - Returns: `false` if the timeout expired and nothing was queued.
    /// - Throws: ``ZMQError`` on failure (see "Blocking, timeouts and signals").
    @discardableResult
    public func send(_ frames: [ZMQOutgoingFrame]) throws -> Bool {
        try send(frames, flags: 0)
    }

    /// Sends `frames` as one message only if that is possible without
    /// blocking; returns `false` otherwise.
    @discardableResult
    public func trySend(_ frames: [ZMQOutgoingFrame]) throws -> Bool {
        try send(frames, flags: ZMQ_DONTWAIT)
    }

    /// All frames of the next message, waiting up to the receive timeout.
    ///
    /// - Returns: the frames, or `nil` if the timeout expired.
    public func receive() throws -> [ZMQFrame]? {
        try receive(flags: 0)
    }

    /// All frames of the next message if one is already queued, else `nil`.
    public func tryReceive() throws -> [ZMQFrame]? {
        try receive(flags: ZMQ_DONTWAIT)
    }

    private func send(_ frames: [ZMQOutgoingFrame], flags: Int32) throws(ZMQError) -> Bool {
        precondition(!frames.isEmpty, "a message needs at least one frame")
        return try exclusive { () throws(ZMQError) -> Bool in
            for (index, frame) in frames.enumerated() {
                let more = index < frames.count - 1 ? ZMQ_SNDMORE : 0
                if try !frame.send(on: handle, flags: flags | more) {
                    // Queue limits apply to whole messages, so only the first
                    // part can find the queue full; later parts always go.
                    precondition(index == 0, "libzmq refused part \(index) of a multipart message")
                    return false
                }
            }
            return true
        }
    }

    private func receive(flags: Int32) throws(ZMQError) -> [ZMQFrame]? {
        try exclusive { () throws(ZMQError) -> [ZMQFrame]? in
            var frames: [ZMQFrame] = []
            repeat {
                let frame = ZMQFrame()
                // Parts after the first arrive together with it, so only the
                // first may wait or come back empty-handed.
                let status = zmq_msg_recv(frame.message, handle, frames.isEmpty ? flags : 0)
                do throws(ZMQError) {
                    try zmqCheck(status, "zmq_msg_recv")
                } catch where error.isWouldBlock && frames.isEmpty {
                    return nil
                }
                frames.append(frame)
            } while frames[frames.count - 1].hasMore
            return frames
        }
    }
}
