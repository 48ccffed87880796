import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why one HTTP exchange did not produce a response. Every case is worth
/// retrying: the request may never have reached the receiver, or it did and
/// the receiver could not say so.
struct TransportError: Error, CustomStringConvertible {
    let description: String
}

/// A point in time by which the whole exchange (connect, send, receive) must
/// finish, so one slow receiver cannot hold the alert stage longer than its
/// configured timeout.
struct Deadline {
    let end: ContinuousClock.Instant
    let seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
        end = .now + .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// Milliseconds left, rounded up so poll(2) never spins on a sub-millisecond
    /// remainder; zero or less once the deadline has passed.
    var remainingMilliseconds: Int32 {
        let (secs, atto) = (end - .now).components
        let millis = secs * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}

/// The part of an HTTP response the delivery decision needs.
struct HTTPStatusResponse {
    /// The status code, e.g. 200.
    var status: Int
    /// The reason phrase after the code, possibly empty.
    var reason: String
    /// Header names lower-cased; a repeated header keeps its last value.
    var headers: [String: String]
    /// At most `HTTPTransport.bodyLimit` bytes of the body, for error messages.
    var body: [UInt8]
}

/// One HTTP/1.1 request and response over a plain POSIX TCP socket.
///
/// Blocking by design: the caller's thread waits, but every wait is a poll(2)
/// bounded by the deadline, so the call returns by then whatever the peer does
/// (name resolution excepted: getaddrinfo has no timeout).
enum HTTPTransport {
    /// Response headers larger than this are refused: no webhook receiver
    /// needs them, and it bounds memory against a hostile peer.
    static let headerLimit = 64 * 1024
    /// Body bytes kept; the rest is read and dropped.
    static let bodyLimit = 4 * 1024

    /// Sends `request` (a complete HTTP/1.1 message) to `host:port` and reads
    /// the response, all before `deadline`.
    static func exchange(host: String, port: UInt16, request: [UInt8], deadline: Deadline) throws(TransportError)
        -> HTTPStatusResponse
    {
        let label = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let fd = try connect(host: host, port: port, label: label, deadline: deadline)
        defer { close(fd) }
        try sendAll(fd, request, label: label, deadline: deadline)
        return try readResponse(fd, label: label, deadline: deadline)
    }

    // MARK: Connecting

    /// A connected non-blocking socket to the first address of `host` that
    /// accepts, trying each address getaddrinfo returns (IPv4 and IPv6).
    private static func connect(host: String, port: UInt16, label: String, deadline: Deadline) throws(TransportError)
        -> Int32
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var node: UnsafeMutablePointer<addrinfo>? = first
        addresses: while let info = node?.pointee {
            node = info.ai_next
            guard let address = info.ai_addr else { continue }
            switch connectOne(info, address, deadline: deadline) {
            case .success(let fd): return fd
            case .failure(let error):
                lastError = "connect to \(label): \(error.description)"
                if deadline.remainingMilliseconds <= 0 { break addresses }
            }
        }
        throw TransportError(description: lastError)
    }

    /// Connects one socket: start a non-blocking connect, wait for it to
    /// become writable, then read the outcome from SO_ERROR.
    private static func connectOne(_ info: addrinfo, _ address: UnsafeMutablePointer<sockaddr>, deadline: Deadline)
        -> Result<Int32, TransportError>
    {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { return .failure(errnoError("socket")) }
        if Glibc.connect(fd, address, info.ai_addrlen) == 0 { return .success(fd) }
        guard errno == EINPROGRESS else {
            let error = errnoError(nil)
            close(fd)
            return .failure(error)
        }
        do {
            guard try wait(fd, for: Int16(POLLOUT), deadline: deadline) else {
                close(fd)
                return .failure(TransportError(description: "timed out after \(format(deadline.seconds)) s"))
            }
        } catch {
            close(fd)
            return .failure(error)
        }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0, soError == 0 else {
            let code = soError != 0 ? soError : errno
            close(fd)
            return .failure(TransportError(description: String(cString: strerror(code))))
        }
        return .success(fd)
    }

    // MARK: Sending and receiving

    /// Writes every byte of `bytes`, waiting for buffer space as needed.
    private static func sendAll(_ fd: Int32, _ bytes: [UInt8], label: String, deadline: Deadline) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a receiver that hangs up must give EPIPE, not kill the process with SIGPIPE.
            let sent = bytes.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                guard try wait(fd, for: Int16(POLLOUT), deadline: deadline) else {
                    throw timeout("sending the request to", label, deadline)
                }
            } else if errno != EINTR {
                throw errnoError("send to \(label)")
            }
        }
    }

    /// Reads until the status line and headers are complete, then reads the
    /// body as far as Content-Length, the end of a chunked body, or the peer
    /// closing. Once the headers are in, the outcome is known, so a body
    /// that stalls past the deadline is cut short rather than failing.
    private static func readResponse(_ fd: Int32, label: String, deadline: Deadline) throws(TransportError)
        -> HTTPStatusResponse
    {
        var buffer: [UInt8] = []
        while true {
            guard try receive(fd, into: &buffer, deadline: deadline) else {
                if deadline.remainingMilliseconds <= 0 { throw timeout("waiting for the response from", label, deadline) }
                throw TransportError(description: "\(label) closed the connection without a complete response")
            }
            if let (response, bodyStart) = try parseHead(buffer, label: label) {
                var body = BodyDrain(framing: HTTPResponseHead.framing(of: response), limit: bodyLimit)
                body.add(buffer[bodyStart...])
                var more = true
                while more && !body.complete {
                    var chunk: [UInt8] = []
                    more = (try? receive(fd, into: &chunk, deadline: deadline)) ?? false
                    body.add(chunk[...])
                }
                return HTTPStatusResponse(
                    status: response.status, reason: response.reason, headers: response.headers, body: body.kept)
            }
            if buffer.count > headerLimit {
                throw TransportError(description: "\(label) sent response headers over \(headerLimit) bytes")
            }
        }
    }

    private static func parseHead(_ buffer: [UInt8], label: String) throws(TransportError)
        -> (HTTPStatusResponse, Int)?
    {
        do {
            return try HTTPResponseHead.parse(buffer)
        } catch {
            throw TransportError(description: "\(label) sent a malformed response: \(error.description)")
        }
    }

    /// Appends what the socket has to `buffer`. False at end of stream or
    /// when the deadline passes first.
    private static func receive(_ fd: Int32, into buffer: inout [UInt8], deadline: Deadline) throws(TransportError)
        -> Bool
    {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                guard try wait(fd, for: Int16(POLLIN), deadline: deadline) else { return false }
            } else if errno != EINTR {
                throw errnoError("recv")
            }
        }
    }

    /// Waits until `fd` is ready for `events`. False when the deadline passes first.
    private static func wait(_ fd: Int32, for events: Int16, deadline: Deadline) throws(TransportError) -> Bool {
        while true {
            let millis = deadline.remainingMilliseconds
            guard millis > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, millis)
            if ready > 0 { return true }  // POLLERR/POLLHUP too: the next call reports the error.
            if ready < 0, errno != EINTR { throw errnoError("poll") }
        }
    }

    // MARK: Messages

    private static func errnoError(_ what: String?) -> TransportError {
        let text = String(cString: strerror(errno))
        return TransportError(description: what.map { "\($0): \(text)" } ?? text)
    }

    private static func timeout(_ doing: String, _ label: String, _ deadline: Deadline) -> TransportError {
        TransportError(description: "timed out after \(format(deadline.seconds)) s \(doing) \(label)")
    }

    /// Seconds without a trailing ".0" for whole numbers.
    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
