import FlyingFox
import Foundation
import Testing

@testable import Delivery

/// The client against a real HTTP server in this process, over loopback.
@Suite struct WebhookTests {
    let client = WebhookClient()
    let alert = Data(#"{"alert":"a1","severity":"high"}"#.utf8)

    @Test func deliversOnceWithValidSignature() async throws {
        let receiver = try await TestReceiver.start(secret: "s3cret") { _ in respond(200) }
        let target = WebhookTarget(
            name: "ops", url: receiver.url, secret: "s3cret", headers: ["Authorization": "Bearer t0ken"])
        let outcome = await onThread { [client, alert] in client.post(alert, to: target, attempt: 1) }
        let requests = await receiver.requests
        await receiver.stop()

        #expect(outcome == .delivered(status: 200))
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.signatureValid)
        #expect(request.body == alert)
        #expect(request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["user-agent"] == "nocturne-alert")
        #expect(request.headers["connection"] == "close")
        #expect(request.headers["x-nocturne-attempt"] == "1")
        #expect(request.headers["authorization"] == "Bearer t0ken")
        #expect(request.headers["host"] == "127.0.0.1:\(receiver.port)")
        #expect(request.headers["x-nocturne-signature"]?.hasPrefix("sha256=") == true)
    }

    @Test func unsignedWithoutSecret() async throws {
        let receiver = try await TestReceiver.start { _ in respond(204) }
        let target = WebhookTarget(name: "plain", url: receiver.url)
        let outcome = await onThread { [client, alert] in client.post(alert, to: target, attempt: 1) }
        let requests = await receiver.requests
        await receiver.stop()
        #expect(outcome == .delivered(status: 204))
        #expect(requests.count == 1)
        #expect(requests.first?.headers["x-nocturne-signature"] == nil)
        #expect(requests.first?.headers["x-nocturne-timestamp"] != nil)
    }

    /// "localhost" may resolve to ::1 first, where nothing listens: the
    /// client goes on to 127.0.0.1. A 600 kB body takes several writes.
    @Test func largeBodyViaLocalhost() async throws {
        let receiver = try await TestReceiver.start(secret: "k") { _ in respond(200) }
        let big = Data(("{\"pad\":\"" + String(repeating: "x", count: 600_000) + "\"}").utf8)
        let target = WebhookTarget(name: "big", url: "http://localhost:\(receiver.port)/hook", secret: "k")
        let outcome = await onThread { [client] in client.post(big, to: target, attempt: 1) }
        let requests = await receiver.requests
        await receiver.stop()
        #expect(outcome == .delivered(status: 200))
        #expect(requests.first?.body == big)
        #expect(requests.first?.signatureValid == true)
    }

    /// 500 three times, then 200: four attempts, one accepted, backoff 1, 2, 4 s.
    @Test func retriesUntilReceiverRecovers() async throws {
        let receiver = try await TestReceiver.start(secret: "k") { number in
            number <= 3 ? respond(500, "database down") : respond(200)
        }
        let target = WebhookTarget(name: "flaky", url: receiver.url, secret: "k", timeoutSeconds: 5)
        let waits = SleepLog()
        let result = await onThread { [client, alert] in
            client.deliver(alert, to: target, sleep: { waits.note($0) })
        }
        let requests = await receiver.requests
        await receiver.stop()

        #expect(result.outcome == .delivered(status: 200))
        #expect(result.attempts == 4)
        #expect(result.errors.count == 3)
        #expect(result.errors.first == "flaky: HTTP 500 Internal Server Error: database down")
        #expect(requests.map { $0.headers["x-nocturne-attempt"] } == ["1", "2", "3", "4"])
        #expect(requests.allSatisfy { $0.signatureValid })
        #expect(waits.waits == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func notFoundFailsWithoutRetrying() async throws {
        let receiver = try await TestReceiver.start { _ in respond(404, "no such hook") }
        let target = WebhookTarget(name: "gone", url: receiver.url)
        let waits = SleepLog()
        let result = await onThread { [client, alert] in
            client.deliver(alert, to: target, sleep: { waits.note($0) })
        }
        let requests = await receiver.requests
        await receiver.stop()

        #expect(result.outcome == .failed(error: "gone: HTTP 404 Not Found: no such hook"))
        #expect(result.attempts == 1)
        #expect(requests.count == 1)
        #expect(waits.waits.isEmpty)
    }

    @Test func silentReceiverTimesOut() async throws {
        let receiver = try await TestReceiver.start { _ in
            try? await Task.sleep(for: .seconds(20))
            return respond(200)
        }
        let target = WebhookTarget(name: "slow", url: receiver.url, timeoutSeconds: 1)
        let started = ContinuousClock.now
        let outcome = await onThread { [client, alert] in client.post(alert, to: target, attempt: 1) }
        let elapsed = ContinuousClock.now - started
        await receiver.stop()

        guard case .retry(let error) = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        #expect(error.contains("timed out after 1 s"))
        #expect(elapsed < .seconds(10))
    }

    @Test func refusedConnectionIsRetried() async throws {
        let receiver = try await TestReceiver.start { _ in respond(200) }
        await receiver.stop()
        let target = WebhookTarget(name: "down", url: receiver.url, maxAttempts: 2)
        let waits = SleepLog()
        let result = await onThread { [client, alert] in
            client.deliver(alert, to: target, sleep: { waits.note($0) })
        }
        guard case .retry(let error) = result.outcome else {
            Issue.record("expected a retry, got \(result.outcome)")
            return
        }
        #expect(error.contains("refused"))
        #expect(result.attempts == 2)
        #expect(waits.waits == [.seconds(1)])
    }

    /// A sleep that says stop (shutdown) ends retrying after the current attempt.
    @Test func abortedSleepStopsRetrying() async throws {
        let receiver = try await TestReceiver.start { _ in respond(503) }
        let target = WebhookTarget(name: "busy", url: receiver.url)
        let result = await onThread { [client, alert] in client.deliver(alert, to: target, sleep: { _ in false }) }
        await receiver.stop()
        #expect(result.attempts == 1)
        #expect(result.outcome == .retry(error: "busy: HTTP 503 Status"))
    }

    @Test func badTargetsFailWithoutConnecting() {
        let cases: [(String, String)] = [
            ("https://example.org/hook?token=hush", "https needs a TLS proxy"),
            ("not a url", "malformed URL"),
            ("http://", "no host"),
            ("ftp://example.org/x", "unsupported URL scheme ftp"),
        ]
        for (url, message) in cases {
            let outcome = client.post(alert, to: WebhookTarget(name: "bad", url: url), attempt: 1)
            guard case .failed(let error) = outcome else {
                Issue.record("\(url): expected failed, got \(outcome)")
                continue
            }
            #expect(error.contains(message), "\(url): \(error)")
            #expect(!error.contains("hush"), "the URL's token stays out of logs")
        }
        var injected = WebhookTarget(name: "bad", url: "http://127.0.0.1:9/x")
        injected.headers = ["X-Evil": "a\r\nHost: elsewhere"]
        #expect(injected.configurationError?.contains("line break") == true)
        injected.headers = ["X-Nocturne-Attempt": "7"]
        #expect(injected.configurationError?.contains("set by the client") == true)
        #expect(WebhookTarget(name: "t", url: "http://h/", timeoutSeconds: 0).configurationError != nil)
        #expect(WebhookTarget(name: "t", url: "http://h/", maxAttempts: 0).configurationError != nil)
    }

    @Test func backoffDoublesToThirtySeconds() {
        let target = WebhookTarget(name: "t", url: "http://h/")
        let waits = (1...7).map { target.backoff(afterAttempt: $0) }
        #expect(waits == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(WebhookTarget(name: "t", url: "http://h/", backoffSeconds: .nan).backoff(afterAttempt: 2) == .zero)
        #expect(WebhookTarget(name: "t", url: "http://h/", backoffSeconds: 0.25).backoff(afterAttempt: 3) == .seconds(1))
    }

    @Test func decodesWithDefaults() throws {
        let json = Data(#"{"name":"ops","url":"http://h:8080/x","max_attempts":3,"headers":{"A":"b"}}"#.utf8)
        let target = try JSONDecoder().decode(WebhookTarget.self, from: json)
        #expect(target == WebhookTarget(name: "ops", url: "http://h:8080/x", maxAttempts: 3, headers: ["A": "b"]))
        #expect(target.timeoutSeconds == 5 && target.backoffSeconds == 1 && target.secret == nil)
        let again = try JSONDecoder().decode(WebhookTarget.self, from: JSONEncoder().encode(target))
        #expect(again == target)
        let misspelt = Data(#"{"name":"ops","url":"http://h/","timeout_second":3}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WebhookTarget.self, from: misspelt) }
    }

    @Test func endpointParsing() throws {
        let plain = try WebhookEndpoint.parse("http://alerts.example:8080/in?k=v#frag").get()
        #expect(plain == WebhookEndpoint(host: "alerts.example", port: 8080, target: "/in?k=v", hostHeader: "alerts.example:8080"))
        let bare = try WebhookEndpoint.parse("http://h").get()
        #expect(bare == WebhookEndpoint(host: "h", port: 80, target: "/", hostHeader: "h"))
        let six = try WebhookEndpoint.parse("http://[::1]:81/x").get()
        #expect(six.host == "::1" && six.hostHeader == "[::1]:81")
    }
}

/// Records the waits `deliver` asks for, without waiting.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Duration] = []

    var waits: [Duration] { lock.withLock { stored } }

    func note(_ wait: Duration) -> Bool {
        lock.withLock { stored.append(wait) }
        return true
    }
}
