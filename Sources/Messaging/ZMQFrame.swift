import CZeroMQ
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One received message part, owning libzmq's `zmq_msg_t` (closed in
/// `deinit`), so its bytes can be read where libzmq put them.
///
/// For `inproc://` zero-copy sends these are the sender's own bytes; for tcp
/// they are libzmq's receive buffer. Either way ``withUnsafeBytes(_:)`` reads
/// them without a copy for as long as the frame lives. The bytes are not
/// necessarily aligned for any type wider than a byte; ``elements(as:)``
/// copies them into a typed array safely.
///
/// Immutable after receipt, hence Sendable: reading a message's data and size
/// from several threads is safe in libzmq.
public final class ZMQFrame: @unchecked Sendable {
    let message: UnsafeMutablePointer<zmq_msg_t>

    /// An empty message for `zmq_msg_recv` to fill.
    init() {
        message = .allocate(capacity: 1)
        // zmq_msg_init cannot fail: it only resets the struct.
        zmq_msg_init(message)
    }

    deinit {
        // For a zero-copy frame this may run libzmq's free callback, which
        // releases the sender's ZMQBuffer.
        zmq_msg_close(message)
        message.deallocate()
    }

    /// Size in bytes.
    public var count: Int { zmq_msg_size(message) }

    /// Whether another part of the same message follows (`zmq_msg_more`).
    var hasMore: Bool { zmq_msg_more(message) != 0 }

    /// Reads the bytes in place; the pointer is valid only inside `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: count))
    }

    /// A copy of the bytes.
    public var data: Data { withUnsafeBytes { Data($0) } }

    /// A copy of the bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes decoded as UTF-8, invalid sequences replaced; for topics and
    /// headers.
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// A copy of the bytes as `Element`s in native byte order, whatever the
    /// alignment of the received bytes. The size must be a multiple of the
    /// element's stride.
    public func elements<Element: BitwiseCopyable>(as type: Element.Type) -> [Element] {
        let stride = MemoryLayout<Element>.stride
        precondition(count % stride == 0, "\(count)-byte frame is not a whole number of \(Element.self)")
        return withUnsafeBytes { source in
            [Element](unsafeUninitializedCapacity: count / stride) { target, initialised in
                UnsafeMutableRawBufferPointer(target).copyMemory(from: source)
                initialised = count / stride
            }
        }
    }
}
