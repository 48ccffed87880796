import Synchronization

/// Bytes owned by Swift that sockets send without copying, for pixel data.
///
/// ``ZMQSocket/send(_:)`` with ``ZMQOutgoingFrame/zeroCopy(_:)`` hands libzmq
/// a pointer into this buffer and a retain on it; libzmq releases the retain
/// through its free callback once the message is done with it: when the
/// receiver drops the frame for `inproc://` (which passes the very same
/// bytes), or after the bytes are written to the kernel for `tcp://`. The
/// buffer is freed only after the last of those releases and the last Swift
/// reference.
///
/// While a message is in flight the bytes must not change: the peer may be
/// reading them. ``withUnsafeMutableBytes(_:)`` therefore traps while
/// ``messagesInFlight`` is not zero; a producer that reuses buffers waits for
/// zero first. Sendable because the storage address never changes and writes
/// are confined as described.
public final class ZMQBuffer: @unchecked Sendable {
    /// Size in bytes.
    public let count: Int
    let base: UnsafeMutableRawPointer
    private let inFlight = Atomic<Int>(0)

    /// Pixel rows and SIMD loads want at least cache-line alignment.
    private static let alignment = 64

    /// A buffer of `count` bytes that `initialize` fills. The buffer starts
    /// zeroed, so `initialize` need only write what it uses and no stale heap
    /// bytes can ever reach a peer.
    public convenience init(
        count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows {
        self.init(uninitializedCount: count)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
        try initialize(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// A zeroed buffer of `count` bytes.
    public convenience init(count: Int) {
        self.init(count: count) { _ in }
    }

    /// A buffer holding a copy of the bytes of `elements` (native byte order).
    public convenience init<Element: BitwiseCopyable>(copying elements: [Element]) {
        self.init(uninitializedCount: elements.count * MemoryLayout<Element>.stride)
        // Every byte is overwritten, so zeroing first would only cost bandwidth.
        elements.withUnsafeBytes { source in
            if let start = source.baseAddress { base.copyMemory(from: start, byteCount: source.count) }
        }
    }

    private init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative buffer size \(count)")
        base = .allocate(byteCount: max(count, 1), alignment: Self.alignment)
        self.count = count
    }

    deinit { base.deallocate() }

    /// How many libzmq messages still reference these bytes.
    public var messagesInFlight: Int { inFlight.load(ordering: .acquiring) }

    /// Reads the bytes; valid only inside `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Writes the bytes; valid only inside `body`. Traps while a sent message
    /// still references them.
    public func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        precondition(messagesInFlight == 0,
                     "ZMQBuffer written while \(messagesInFlight) sent message(s) still reference it")
        return try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Called as a message starts referencing the buffer.
    func retainForMessage() -> UnsafeMutableRawPointer {
        inFlight.add(1, ordering: .relaxed)
        return Unmanaged.passRetained(self).toOpaque()
    }

    /// Undoes ``retainForMessage()`` from the hint libzmq was given.
    static func releaseFromMessage(_ hint: UnsafeMutableRawPointer) {
        let buffer = Unmanaged<ZMQBuffer>.fromOpaque(hint).takeRetainedValue()
        buffer.inFlight.subtract(1, ordering: .releasing)
    }
}

/// libzmq's free callback for zero-copy frames. It must capture nothing (a C
/// function pointer cannot carry context), so the buffer travels in `hint`.
/// It runs on whichever thread drops the message last: the receiver's for
/// inproc, a libzmq I/O thread for tcp.
func releaseZeroCopyFrame(_ data: UnsafeMutableRawPointer?, _ hint: UnsafeMutableRawPointer?) {
    guard let hint else { return }
    ZMQBuffer.releaseFromMessage(hint)
}
