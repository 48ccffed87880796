import Foundation

/// How one delivery ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver answered 2xx with this status: it has the alert.
    case delivered(status: Int)
    /// A transient failure worth another try: 5xx, 408, 429, a timeout, a
    /// refused or reset connection, an unresolvable host, a garbled response.
    /// The receiver may or may not have the alert (delivery is at least
    /// once: receivers deduplicate on the alert's id).
    case retry(error: String)
    /// A failure another try would repeat: other 1xx/3xx/4xx statuses
    /// (redirects are not followed), a malformed URL, an https URL, or any
    /// other `WebhookTarget.configurationError`.
    case failed(error: String)
}

/// Posts alerts to webhook receivers over HTTP/1.1.
///
/// Each call opens one TCP connection, sends one request with
/// `Connection: close`, and closes it: alerts are rare enough that keeping
/// connections alive would only add failure modes. Calls block the calling
/// thread (up to the target's timeout per attempt, plus backoff in
/// `deliver`), so call them from a thread of your own, not from a Swift
/// concurrency task, whose few shared threads must not block.
///
/// Every request carries:
/// - `Content-Type: application/json`, `User-Agent: nocturne-alert`, `Connection: close`;
/// - `X-Nocturne-Timestamp`: the send time, whole Unix seconds;
/// - `X-Nocturne-Attempt`: the attempt number, 1 for the first;
/// - `X-Nocturne-Signature: sha256=<hex>` when the target has a secret: the
///   HMAC-SHA256 under the secret of `"<timestamp>." + body`. Covering the
///   timestamp lets a receiver reject an old request replayed by whoever
///   captured it (see `verify(body:timestamp:signature:secret:now:toleranceSeconds:)`).
public final class WebhookClient: Sendable {
    /// A client. It holds no state: one can serve every target and thread.
    public init() {}

    /// Makes one attempt to POST `body` to `target`.
    ///
    /// - Parameters:
    ///   - body: the alert, already encoded as JSON; sent as is.
    ///   - target: where to send it and how long to wait (`timeoutSeconds`
    ///     bounds connect, send and response together; name resolution is
    ///     not bounded, being the system resolver's).
    ///   - attempt: the number sent as `X-Nocturne-Attempt`, 1-based.
    /// - Returns: the outcome; error texts begin with the target's name.
    public func post(_ body: Data, to target: WebhookTarget, attempt: Int) -> DeliveryOutcome {
        if let problem = target.configurationError { return .failed(error: problem) }
        guard case .success(let endpoint) = WebhookEndpoint.parse(target.url) else {
            return .failed(error: "\(target.name): malformed URL")
        }
        let request = Self.request(body, to: target, endpoint: endpoint, attempt: attempt, now: Date())
        do {
            let response = try HTTPTransport.exchange(
                host: endpoint.host, port: endpoint.port, request: request,
                deadline: Deadline(seconds: target.timeoutSeconds))
            return Self.outcome(of: response, target: target)
        } catch {
            return .retry(error: "\(target.name): \(error.description)")
        }
    }

    /// Posts `body` to `target` until it is delivered, fails for good, or
    /// `target.maxAttempts` attempts are spent, waiting
    /// `target.backoff(afterAttempt:)` between attempts.
    ///
    /// - Parameter sleep: waits the given time; returns false to stop
    ///   retrying at once (e.g. on shutdown). Not called after the last attempt.
    /// - Returns: the last attempt's outcome (`.retry` when the attempts ran
    ///   out or `sleep` said stop: the alert may be tried again later), the
    ///   number of attempts made, and each failed attempt's error in order.
    public func deliver(_ body: Data, to target: WebhookTarget, sleep: (Duration) -> Bool)
        -> (outcome: DeliveryOutcome, attempts: Int, errors: [String])
    {
        let limit = max(1, target.maxAttempts)
        var errors: [String] = []
        var attempt = 0
        while true {
            attempt += 1
            let outcome = post(body, to: target, attempt: attempt)
            switch outcome {
            case .delivered:
                return (outcome, attempt, errors)
            case .failed(let error):
                errors.append(error)
                return (outcome, attempt, errors)
            case .retry(let error):
                errors.append(error)
                if attempt >= limit || !sleep(target.backoff(afterAttempt: attempt)) {
                    return (outcome, attempt, errors)
                }
            }
        }
    }

    /// Whether `signature` is the one this client sends for `body` and
    /// `timestamp` under `secret`, compared in constant time.
    ///
    /// This checks authenticity only; a receiver should also refuse stale
    /// timestamps, as the `now:` overload does, to stop replays.
    /// - Parameters:
    ///   - body: the request body exactly as received.
    ///   - timestamp: the `X-Nocturne-Timestamp` header value.
    ///   - signature: the `X-Nocturne-Signature` header value, `sha256=<hex>`
    ///     (a bare hex digest is accepted too).
    public static func verify(body: Data, timestamp: String, signature: String, secret: String) -> Bool {
        let hex = signature.hasPrefix("sha256=") ? String(signature.dropFirst(7)) : signature
        guard let given = HMACSHA256.bytes(fromHex: hex) else { return false }
        let expected = HMACSHA256.sign(key: Array(secret.utf8), message: signedBytes(body, timestamp: timestamp))
        return HMACSHA256.constantTimeEquals(given, expected)
    }

    /// `verify(body:timestamp:signature:secret:)`, and also that `timestamp`
    /// is whole Unix seconds within `toleranceSeconds` of `now` either way,
    /// so a captured request cannot be replayed later.
    public static func verify(
        body: Data, timestamp: String, signature: String, secret: String, now: Date, toleranceSeconds: Double = 300
    ) -> Bool {
        guard let seconds = Int(timestamp), abs(now.timeIntervalSince1970 - Double(seconds)) <= toleranceSeconds else {
            return false
        }
        return verify(body: body, timestamp: timestamp, signature: signature, secret: secret)
    }

    // MARK: Building and judging

    /// What the signature covers: `"<timestamp>." + body`.
    static func signedBytes(_ body: Data, timestamp: String) -> [UInt8] {
        Array(timestamp.utf8) + [UInt8(ascii: ".")] + Array(body)
    }

    /// The full request: head and body, ready for the socket.
    static func request(_ body: Data, to target: WebhookTarget, endpoint: WebhookEndpoint, attempt: Int, now: Date)
        -> [UInt8]
    {
        let timestamp = String(Int(now.timeIntervalSince1970))
        var lines = [
            "POST \(endpoint.target) HTTP/1.1",
            "Host: \(endpoint.hostHeader)",
            "Content-Type: application/json",
            "Content-Length: \(body.count)",
            "User-Agent: nocturne-alert",
            "X-Nocturne-Timestamp: \(timestamp)",
            "X-Nocturne-Attempt: \(attempt)",
        ]
        if let secret = target.secret {
            let tag = HMACSHA256.sign(key: Array(secret.utf8), message: signedBytes(body, timestamp: timestamp))
            lines.append("X-Nocturne-Signature: sha256=\(HMACSHA256.hexString(tag))")
        }
        for (name, value) in target.headers.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        lines.append("Connection: close")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + Array(body)
    }

    /// 2xx delivered; 408, 429 and 5xx retried; anything else failed.
    static func outcome(of response: HTTPStatusResponse, target: WebhookTarget) -> DeliveryOutcome {
        let status = response.status
        if (200...299).contains(status) { return .delivered(status: status) }
        var error = "\(target.name): HTTP \(status)"
        if !response.reason.isEmpty { error += " \(response.reason)" }
        if (300...399).contains(status), let location = response.headers["location"] {
            error += " (redirect to \(location) not followed)"
        }
        let snippet = Self.snippet(response.body)
        if !snippet.isEmpty { error += ": \(snippet)" }
        if status == 408 || status == 429 || (500...599).contains(status) { return .retry(error: error) }
        return .failed(error: error)
    }

    /// The start of a response body as one printable line for an error message.
    static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        let flat = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return flat.trimmingCharacters(in: .whitespaces)
    }
}
