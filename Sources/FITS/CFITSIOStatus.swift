import CFITSIO
import Synchronization

/// The single place where a CFITSIO status becomes a Swift error.
///
/// CFITSIO functions take an `int *status` and do nothing when it is already
/// non-zero, so a failure that is not reset silently turns every later call
/// into a no-op. Every call in this module therefore runs through
/// ``run(file:operation:_:)``, which hands it a fresh status and ends in
/// ``check(_:file:operation:)``, which throws and resets the status.
///
/// CFITSIO's error-message stack is one per process, even in a reentrant
/// build, and it also collects messages from calls that succeed. To attach
/// to an error exactly the messages its own call pushed, the stack is cleared
/// before each call and drained after a failure, and the three steps run
/// under one process-wide lock. CFITSIO calls from different threads are
/// therefore serialised; each call is short except whole-image reads and
/// writes.
enum CFITSIOStatus {
    private static let lock = Mutex(())

    /// Runs `body` (one or more CFITSIO calls sharing `status`) under the
    /// module's lock with an empty message stack, then checks the status.
    ///
    /// - Parameters:
    ///   - file: The path or label to name in an error.
    ///   - operation: What the calls do, in words ("reading the image").
    ///   - body: The calls; it receives the status variable to pass on.
    static func run(file: String, operation: String, _ body: (inout Int32) -> Void) throws {
        try lock.withLock { _ in
            ffcmsg()
            var status: Int32 = 0
            body(&status)
            try check(&status, file: file, operation: operation)
        }
    }

    /// Throws a ``FITSError`` if `status` is non-zero, after resetting it to 0.
    /// Called with the lock held, so the message stack is this call's own.
    private static func check(_ status: inout Int32, file: String, operation: String) throws {
        guard status != 0 else { return }
        let code = status
        status = 0
        let text = statusText(code)
        let messages = drainMessages()
        let kind = classify(code)
        throw FITSError(kind, file: file, problem: problem(kind, operation: operation, text: text),
                        cfitsioStatus: code, cfitsioStatusText: text, cfitsioMessages: messages)
    }

    /// Whether the linked CFITSIO was built thread-safe (`fits_is_reentrant`).
    static var isReentrant: Bool { fits_is_reentrant() != 0 }

    /// The linked CFITSIO's version, e.g. "4.2.0".
    static var version: String {
        var number: Float = 0
        ffvers(&number)
        // ffvers packs the version as major + minor / 100 + micro / 10000.
        let packed = Int((number * 10_000).rounded())
        return "\(packed / 10_000).\(packed / 100 % 100).\(packed % 100)"
    }

    private static func statusText(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(FLEN_STATUS) + 1)
        ffgerr(code, &buffer)
        return decodeCString(buffer)
    }

    private static func drainMessages() -> [String] {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: Int(FLEN_ERRMSG) + 1)
        while ffgmsg(&buffer) != 0 {
            let message = decodeCString(buffer).trimmingTrailingSpaces()
            if !message.isEmpty { messages.append(message) }
        }
        return messages
    }

    private static func classify(_ code: Int32) -> FITSError.Code {
        switch code {
        case END_OF_FILE, READ_ERROR:
            return .truncated
        case NO_SIMPLE, BAD_SIMPLE, NO_BITPIX, BAD_BITPIX, NO_NAXIS, BAD_NAXIS, NO_NAXES,
             NO_XTENSION, NO_END, UNKNOWN_REC, BAD_HEADER_FILL:
            return .notFITS
        case FILE_NOT_OPENED:
            // Existence is checked before CFITSIO is asked, so this means unreadable.
            return .unreadable
        default:
            return .cfitsio
        }
    }

    private static func problem(_ kind: FITSError.Code, operation: String, text: String) -> String {
        switch kind {
        case .truncated:
            return "the file is truncated: it ends before the data it announces (\(operation): \(text))"
        case .notFITS:
            return "not a valid FITS file (\(operation): \(text))"
        case .unreadable:
            return "the file cannot be opened (\(operation): \(text))"
        default:
            return "CFITSIO failed \(operation): \(text)"
        }
    }
}

/// Decodes a NUL-terminated C string from a buffer CFITSIO filled, stopping
/// at the first NUL (or the end when there is none).
func decodeCString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

extension String {
    /// The string without trailing blanks, as FITS pads card fields with them.
    func trimmingTrailingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
