import Foundation

/// One receiver of alerts by HTTP POST, as configured.
///
/// In configuration files the keys are snake_case, as elsewhere in Nocturne:
/// `name`, `url`, `secret`, `timeout_seconds`, `max_attempts`,
/// `backoff_seconds`, `headers`; all but `name` and `url` may be left out.
/// Decoding does not judge the values: call `configurationError` when
/// loading, so a bad target is reported before the first alert rather than
/// on it (a target that has one is never posted to).
public struct WebhookTarget: Sendable, Codable, Equatable {
    /// A short name for logs and error messages, e.g. "ops-slack-bridge".
    public var name: String
    /// Where to POST, `http://host[:port]/path[?query]`. Plain HTTP only:
    /// `https` URLs are refused with "https needs a TLS proxy", since this
    /// client has no TLS; point it at a local TLS-terminating proxy instead.
    public var url: String
    /// The shared secret for `X-Nocturne-Signature`, or nil to send unsigned.
    public var secret: String?
    /// Seconds one attempt may take in all (connect, send, response), > 0 and ≤ 3600.
    public var timeoutSeconds: Double
    /// Attempts in all, the first included, 1...100.
    public var maxAttempts: Int
    /// Seconds to wait after the first failed attempt; doubles after each
    /// further one, capped at `WebhookTarget.maximumBackoffSeconds`.
    public var backoffSeconds: Double
    /// Extra request headers, e.g. `Authorization`. Names the client sets
    /// itself (Host, Content-Type, Content-Length, Connection, User-Agent,
    /// Transfer-Encoding, X-Nocturne-*) are refused, not overridden.
    public var headers: [String: String]

    /// The longest wait between attempts, seconds.
    public static let maximumBackoffSeconds: Double = 30

    /// A target; the defaults are 5 s timeout, 5 attempts, 1 s first backoff.
    public init(
        name: String, url: String, secret: String? = nil, timeoutSeconds: Double = 5, maxAttempts: Int = 5,
        backoffSeconds: Double = 1, headers: [String: String] = [:]
    ) {
        self.name = name
        self.url = url
        self.secret = secret
        self.timeoutSeconds = timeoutSeconds
        self.maxAttempts = maxAttempts
        self.backoffSeconds = backoffSeconds
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, url, secret, headers
        case timeoutSeconds = "timeout_seconds"
        case maxAttempts = "max_attempts"
        case backoffSeconds = "backoff_seconds"
    }

    /// Decodes a target, filling in the defaults for missing optional keys.
    /// Unknown keys are refused, as everywhere in Nocturne's configuration,
    /// so a misspelt `timeout_second` is not silently the default.
    public init(from decoder: any Decoder) throws {
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        for key in try decoder.container(keyedBy: AnyKey.self).allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "unknown key \(key.stringValue) in a webhook target; known: "
                        + known.sorted().joined(separator: ", ")))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            url: try container.decode(String.self, forKey: .url),
            secret: try container.decodeIfPresent(String.self, forKey: .secret),
            timeoutSeconds: try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 5,
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 5,
            backoffSeconds: try container.decodeIfPresent(Double.self, forKey: .backoffSeconds) ?? 1,
            headers: try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:])
    }

    /// Any key, to list what a configuration holds.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// What is wrong with this target, or nil when it can be posted to.
    /// Names the target and the offending field.
    public var configurationError: String? {
        if case .failure(let problem) = WebhookEndpoint.parse(url) { return "\(name): \(problem)" }
        if !(timeoutSeconds > 0 && timeoutSeconds <= 3600) {
            return "\(name): timeout_seconds must be > 0 and ≤ 3600, not \(timeoutSeconds)"
        }
        if !(1...100).contains(maxAttempts) { return "\(name): max_attempts must be 1...100, not \(maxAttempts)" }
        if !(backoffSeconds >= 0 && backoffSeconds.isFinite) {
            return "\(name): backoff_seconds must be ≥ 0, not \(backoffSeconds)"
        }
        if let problem = Self.headerProblem(headers) { return "\(name): \(problem)" }
        return nil
    }

    /// The wait after failed attempt number `attempt` (1-based):
    /// `backoffSeconds · 2^(attempt−1)`, at most 30 s; zero when
    /// `backoffSeconds` is not a positive number.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        guard backoffSeconds > 0, backoffSeconds.isFinite else { return .zero }
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let seconds = min(backoffSeconds * pow(2, exponent), Self.maximumBackoffSeconds)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Header names the client writes itself, lower-cased.
    static let reservedHeaders: Set<String> = [
        "host", "content-type", "content-length", "connection", "user-agent", "transfer-encoding",
    ]

    /// Why `headers` cannot be sent: a reserved or malformed name, or a value
    /// that would split the request (CR, LF or NUL).
    static func headerProblem(_ headers: [String: String]) -> String? {
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            let lower = name.lowercased()
            if reservedHeaders.contains(lower) || lower.hasPrefix("x-nocturne-") {
                return "header \(name) is set by the client and cannot be configured"
            }
            if name.isEmpty || !name.utf8.allSatisfy(token.contains) { return "header name \"\(name)\" is not valid" }
            if value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
                return "header \(name) has a line break or NUL in its value"
            }
        }
        return nil
    }
}

/// Where a webhook URL points, parsed once per request.
struct WebhookEndpoint: Equatable {
    /// The host name or address, IPv6 without brackets.
    var host: String
    /// The TCP port, 80 unless the URL says otherwise.
    var port: UInt16
    /// The request target: path and query, at least "/".
    var target: String
    /// The Host header's value.
    var hostHeader: String

    /// Parses an `http://` URL; the failure text says what is wrong.
    /// Messages name at most the host: webhook URLs often carry a token in
    /// their path or query, and these messages end up in logs.
    static func parse(_ text: String) -> Result<WebhookEndpoint, URLProblem> {
        func problem(_ description: String) -> Result<WebhookEndpoint, URLProblem> {
            .failure(URLProblem(description: description))
        }
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            return problem("malformed URL")
        }
        let named = parts.host.map { " (host \($0))" } ?? ""
        if scheme == "https" {
            return problem(
                "https needs a TLS proxy: this client speaks plain HTTP; "
                    + "post to a local TLS-terminating proxy over http:// instead\(named)")
        }
        guard scheme == "http" else { return problem("unsupported URL scheme \(scheme)\(named)") }
        guard let rawHost = parts.host, !rawHost.isEmpty else { return problem("URL has no host") }
        guard parts.user == nil, parts.password == nil else {
            return problem("credentials in the URL are not supported; use headers\(named)")
        }
        let port = parts.port ?? 80
        guard (1...65535).contains(port) else { return problem("bad port \(port)\(named)") }
        // Foundation may or may not keep the brackets of an IPv6 literal.
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        var target = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        if let query = parts.percentEncodedQuery { target += "?" + query }
        guard !target.utf8.contains(where: { $0 <= 32 || $0 == 127 }) else { return problem("malformed URL\(named)") }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return .success(
            WebhookEndpoint(
                host: host, port: UInt16(port), target: target,
                hostHeader: port == 80 ? bracketed : "\(bracketed):\(port)"))
    }

    /// Why a URL cannot be used.
    struct URLProblem: Error, CustomStringConvertible {
        let description: String
    }
}
