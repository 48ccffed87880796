import CZeroMQ
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One part of a message to send: bytes libzmq copies at send time (headers,
/// topics, small metadata), or a ``ZMQBuffer`` it sends without copying
/// (pixel data).
public struct ZMQOutgoingFrame: Sendable {
    enum Payload: Sendable {
        case bytes([UInt8])
        case data(Data)
        case string(String)
        case zeroCopy(ZMQBuffer)
    }

    let payload: Payload

    /// Copies `bytes` when sent.
    public static func bytes(_ bytes: [UInt8]) -> ZMQOutgoingFrame { .init(payload: .bytes(bytes)) }

    /// Copies `data` when sent.
    public static func data(_ data: Data) -> ZMQOutgoingFrame { .init(payload: .data(data)) }

    /// Copies the UTF-8 bytes of `string` (no terminator) when sent.
    public static func string(_ string: String) -> ZMQOutgoingFrame { .init(payload: .string(string)) }

    /// An empty part, as ROUTER/DEALER envelopes use for delimiters.
    public static let empty = ZMQOutgoingFrame(payload: .bytes([]))

    /// Sends `buffer`'s bytes without copying; see ``ZMQBuffer`` for when
    /// libzmq lets go of them.
    public static func zeroCopy(_ buffer: ZMQBuffer) -> ZMQOutgoingFrame { .init(payload: .zeroCopy(buffer)) }

    /// Sends this part on `socket` with `flags`; returns false on `EAGAIN`.
    /// The caller holds the socket exclusively.
    func send(on socket: UnsafeMutableRawPointer, flags: Int32) throws(ZMQError) -> Bool {
        let status: Int32
        switch payload {
        case .bytes(let bytes):
            status = bytes.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
        case .data(let data):
            status = data.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
        case .string(var string):
            status = string.withUTF8 { zmq_send(socket, $0.baseAddress, $0.count, flags) }
        case .zeroCopy(let buffer):
            return try Self.sendZeroCopy(buffer, on: socket, flags: flags)
        }
        return try Self.sent(status, "zmq_send")
    }

    private static func sendZeroCopy(
        _ buffer: ZMQBuffer, on socket: UnsafeMutableRawPointer, flags: Int32
    ) throws(ZMQError) -> Bool {
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        let hint = buffer.retainForMessage()
        let initStatus = zmq_msg_init_data(message, buffer.base, buffer.count, releaseZeroCopyFrame, hint)
        do {
            try zmqCheck(initStatus, "zmq_msg_init_data")
        } catch {
            // libzmq does not call the free callback when init fails.
            ZMQBuffer.releaseFromMessage(hint)
            throw error
        }
        // An unsent message is still ours; closing it runs the free callback.
        // A sent one was emptied by libzmq and needs nothing more.
        let wasSent: Bool
        do {
            wasSent = try sent(zmq_msg_send(message, socket, flags), "zmq_msg_send")
        } catch {
            zmq_msg_close(message)
            throw error
        }
        if !wasSent { zmq_msg_close(message) }
        return wasSent
    }

    /// The send status: true when sent, false on EAGAIN, else an error.
    private static func sent(_ status: Int32, _ operation: String) throws(ZMQError) -> Bool {
        do {
            try zmqCheck(status, operation)
            return true
        } catch where error.isWouldBlock {
            return false
        }
    }
}
