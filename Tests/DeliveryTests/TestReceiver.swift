import Delivery
import FlyingFox
import FlyingSocks
import Foundation

/// One request as the test receiver saw it.
struct ReceivedRequest: Sendable {
    var path: String
    /// The headers the tests look at, by lower-cased name.
    var headers: [String: String]
    var body: Data
    /// Whether the signature checked out under the receiver's secret and
    /// the timestamp was fresh (false when unsigned).
    var signatureValid: Bool
}

/// The requests a receiver has had, in order.
actor RequestLog {
    private(set) var requests: [ReceivedRequest] = []

    /// Records `request`; returns its 1-based number.
    func record(_ request: ReceivedRequest) -> Int {
        requests.append(request)
        return requests.count
    }
}

/// A webhook receiver running in the test process: a FlyingFox server on
/// 127.0.0.1 at a port the kernel picks, answering POST /hook as the test
/// says and recording each request.
final class TestReceiver: Sendable {
    let server: HTTPServer
    let log: RequestLog
    let port: UInt16
    private let task: Task<Void, any Error>

    /// The URL that reaches this receiver.
    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(server: HTTPServer, log: RequestLog, port: UInt16, task: Task<Void, any Error>) {
        self.server = server
        self.log = log
        self.port = port
        self.task = task
    }

    /// Starts a receiver; `respond` gets the 1-based number of each request.
    static func start(
        secret: String? = nil, respond: @escaping @Sendable (Int) async -> HTTPResponse
    ) async throws -> TestReceiver {
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 30, logger: .disabled)
        let log = RequestLog()
        await server.appendRoute("POST /hook") { request in
            let number = await log.record(try await Self.received(request, secret: secret))
            return await respond(number)
        }
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port) = await server.listeningAddress else {
            throw SocketError.unsupportedAddress
        }
        return TestReceiver(server: server, log: log, port: port, task: task)
    }

    /// Stops listening; the port then refuses connections.
    func stop() async {
        await server.stop(timeout: 0)
        task.cancel()
        _ = await task.result
    }

    /// The requests received so far.
    var requests: [ReceivedRequest] {
        get async { await log.requests }
    }

    private static func received(_ request: HTTPRequest, secret: String?) async throws -> ReceivedRequest {
        let body = try await request.bodyData
        var headers: [String: String] = [:]
        for name in [
            "Content-Type", "Content-Length", "User-Agent", "Connection", "Host", "Authorization",
            "X-Nocturne-Timestamp", "X-Nocturne-Signature", "X-Nocturne-Attempt",
        ] {
            headers[name.lowercased()] = request.headers[HTTPHeader(name)]
        }
        var valid = false
        if let secret, let timestamp = headers["x-nocturne-timestamp"], let signature = headers["x-nocturne-signature"] {
            valid = WebhookClient.verify(
                body: body, timestamp: timestamp, signature: signature, secret: secret, now: Date())
        }
        return ReceivedRequest(path: request.path, headers: headers, body: body, signatureValid: valid)
    }
}

/// Runs blocking work on a thread of its own, so a blocking client call
/// never occupies one of Swift concurrency's few shared threads, which the
/// in-process server needs to answer it.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A plain response with a short text body.
func respond(_ status: Int, _ text: String = "") -> HTTPResponse {
    HTTPResponse(statusCode: HTTPStatusCode(status, phrase: phrase(status)), body: Data(text.utf8))
}

private func phrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 404: "Not Found"
    case 500: "Internal Server Error"
    default: "Status"
    }
}
