import Foundation

/// Parsing of an HTTP/1.x response head (status line and headers), kept
/// apart from the socket code so it can be reasoned about on plain bytes.
enum HTTPResponseHead {
    /// Why a response head could not be read.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// How the end of a response body is found.
    enum Framing: Equatable {
        /// No body at all (1xx, 204, 304).
        case none
        /// Exactly this many bytes.
        case length(Int)
        /// Chunked transfer coding: ends with the zero-length chunk.
        case chunked
        /// Until the server closes the connection.
        case untilClose
    }

    private static let headEnd: [UInt8] = Array("\r\n\r\n".utf8)

    /// The first final response in `bytes` and the offset where its body
    /// starts, or nil while the head is still incomplete. Interim 1xx
    /// responses (other than 101) are skipped: a server may send
    /// `100 Continue` unasked, and it says nothing about the outcome.
    static func parse(_ bytes: [UInt8]) throws(Malformed) -> (HTTPStatusResponse, Int)? {
        var start = 0
        while let end = firstRange(of: headEnd, in: bytes, from: start) {
            let response = try parseHead(bytes[start..<end])
            start = end + headEnd.count
            if response.status >= 200 || response.status == 101 { return (response, start) }
        }
        return nil
    }

    /// How the body following `response`'s head is delimited. We send no
    /// HEAD requests, so only the status and headers decide.
    static func framing(of response: HTTPStatusResponse) -> Framing {
        if response.status < 200 || response.status == 204 || response.status == 304 { return .none }
        if let coding = response.headers["transfer-encoding"], coding.lowercased().contains("chunked") {
            return .chunked
        }
        if let text = response.headers["content-length"], let length = Int(text), length >= 0 {
            return .length(length)
        }
        return .untilClose
    }

    private static func parseHead(_ head: ArraySlice<UInt8>) throws(Malformed) -> HTTPStatusResponse {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let statusLine = lines.popFirst() else { throw Malformed(description: "empty response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]),
            status >= 100
        else {
            throw Malformed(description: "bad status line \"\(statusLine.prefix(80))\"")
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Malformed(description: "bad header line \"\(line.prefix(80))\"")
            }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return HTTPStatusResponse(status: status, reason: reason, headers: headers, body: [])
    }

    /// The index where `needle` first occurs in `haystack` at or after `from`.
    private static func firstRange(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count - from >= needle.count else { return nil }
        for index in from...(haystack.count - needle.count)
        where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

/// Reads a response body to its end while keeping only its first `limit`
/// bytes, so a large or endless body costs no memory, only time (which the
/// deadline bounds).
struct BodyDrain {
    let framing: HTTPResponseHead.Framing
    let limit: Int
    /// The first `limit` bytes of the body as received (chunk framing included).
    private(set) var kept: [UInt8] = []
    private var total = 0
    /// The last bytes seen, to spot the end of a chunked body across reads.
    private var tail: [UInt8] = []

    init(framing: HTTPResponseHead.Framing, limit: Int) {
        self.framing = framing
        self.limit = limit
    }

    /// Takes the next bytes read from the socket.
    mutating func add(_ bytes: ArraySlice<UInt8>) {
        total += bytes.count
        if kept.count < limit { kept += bytes.prefix(limit - kept.count) }
        tail = Array((tail + bytes).suffix(5))
    }

    /// Whether the whole body has arrived.
    var complete: Bool {
        switch framing {
        case .none: true
        case .length(let length): total >= length
        // The last chunk is "0\r\n\r\n" when there are no trailers; with
        // trailers we read until the server closes, as Connection: close asks.
        case .chunked: tail == Array("0\r\n\r\n".utf8)
        case .untilClose: false
        }
    }
}
