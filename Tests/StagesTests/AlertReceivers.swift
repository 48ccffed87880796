import Foundation

/// A webhook receiver in its own process (Python's standard library, as a
/// third party's would be): it verifies each request's HMAC-SHA256
/// signature with the shared secret, answers 500 to the first
/// `failures` requests for the first alert it sees and 200 to everything
/// else, and logs one JSON line per request.
final class WebhookReceiverProcess {
    let process = Process()
    let port: Int
    let logPath: String

    init(folder: URL, secret: String, failures: Int) throws {
        let script = folder.appendingPathComponent("receiver.py")
        logPath = folder.appendingPathComponent("receiver.jsonl").path
        try Self.source.write(to: script, atomically: true, encoding: .utf8)
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, secret, "\(failures)", logPath]
        process.standardOutput = out
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ReceiverError(message: "the receiver did not say its port: '\(line)'")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request so far.
    func requests() -> [[String: Any]] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    func stop() {
        // SIGKILL: a child of the test process may inherit an ignored SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct ReceiverError: Error { var message: String }

    static let source = #"""
    import hashlib, hmac, http.server, json, sys, time
    secret, failures, log = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3]
    state = {"first": None, "failed": 0}
    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ts = self.headers.get("X-Nocturne-Timestamp", "")
            sig = self.headers.get("X-Nocturne-Signature", "")
            want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(want, sig) and abs(time.time() - float(ts or 0)) < 300
            doc = json.loads(body)
            alert = doc["alert"]["alert_id"]
            if state["first"] is None:
                state["first"] = alert
            status = 200
            if alert == state["first"] and state["failed"] < failures:
                state["failed"] += 1
                status = 500
            if not valid:
                status = 401
            with open(log, "a") as f:
                f.write(json.dumps({"alert_id": alert, "notification": doc["notification"], "status": status,
                                    "valid": valid, "attempt": self.headers.get("X-Nocturne-Attempt")}) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#
}
