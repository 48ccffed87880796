import Foundation
import Picture
import Pixels
import Store

/// One candidate of a run as a diff compares it.
struct DiffCandidate {
    var observation: String
    var index: Int
    var x: Double, y: Double, ra: Double, dec: Double
    var snr: Double
    var type: String?, confidence: Double?
    var severity: String?, score: Double?
    var stampSize: Int
    var stamp: Data

    /// The values whose change a diff reports.
    func changes(to b: DiffCandidate) -> [String] {
        // Equal bits, so NaN matches NaN and nothing else counts as unchanged.
        func differ(_ x: Double?, _ y: Double?) -> Bool { x?.bitPattern != y?.bitPattern }
        var out: [String] = []
        if differ(snr, b.snr) { out.append(String(format: "snr %.6g → %.6g", snr, b.snr)) }
        if type != b.type { out.append("type \(type ?? "-") → \(b.type ?? "-")") }
        if differ(confidence, b.confidence) {
            out.append("confidence \(confidence.map { String(format: "%.6g", $0) } ?? "-") → \(b.confidence.map { String(format: "%.6g", $0) } ?? "-")")
        }
        if severity != b.severity { out.append("severity \(severity ?? "-") → \(b.severity ?? "-")") }
        if differ(score, b.score), severity != nil || b.severity != nil {
            out.append("anomaly score \(score.map { String(format: "%.6g", $0) } ?? "-") → \(b.score.map { String(format: "%.6g", $0) } ?? "-")")
        }
        return out
    }
}

/// Two runs of the same night compared: candidates matched by observation
/// and position (within 1 px on the reference grid), alerts by rule and
/// dedup key.
struct ReplayDiff {
    var appeared: [DiffCandidate] = [], disappeared: [DiffCandidate] = []
    var changed: [(a: DiffCandidate, b: DiffCandidate, what: [String])] = []
    var unchanged = 0
    var newAlerts: [String] = [], goneAlerts: [String] = []

    static func load(_ store: PipelineStore, run: UUID) throws -> [DiffCandidate] {
        try store.connection.query(
            """
            SELECT o.observation_key, c.candidate_index, c.x, c.y, c.ra, c.dec, coalesce(c.snr, 0) AS snr, d.detection_type,
                   d.confidence, a.severity, a.score, coalesce(c.stamp_size, 0) AS stamp_size, c.stamp_difference
            FROM candidates c JOIN observations o ON o.id = c.observation_id
            LEFT JOIN detections d ON d.candidate_id = c.id LEFT JOIN anomalies a ON a.candidate_id = c.id
            WHERE c.run_id = $1 ORDER BY o.observation_key, c.candidate_index
            """, [run]).map { r in
            DiffCandidate(
                observation: try r.decode(String.self, "observation_key"), index: try r.decode(Int.self, "candidate_index"),
                x: try r.decode(Double.self, "x"), y: try r.decode(Double.self, "y"), ra: try r.decode(Double.self, "ra"),
                dec: try r.decode(Double.self, "dec"), snr: try r.decode(Double.self, "snr"),
                type: try r.decodeIfPresent(String.self, "detection_type"), confidence: try r.decodeIfPresent(Double.self, "confidence"),
                severity: try r.decodeIfPresent(String.self, "severity"), score: try r.decodeIfPresent(Double.self, "score"),
                stampSize: try r.decode(Int.self, "stamp_size"), stamp: try r.decodeIfPresent(Data.self, "stamp_difference") ?? Data())
        }
    }

    static func alertKeys(_ store: PipelineStore, run: UUID) throws -> Set<String> {
        Set(try store.connection.query(
            "SELECT r.name || ' ' || a.dedup_key AS k FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.run_id = $1",
            [run]).map { try $0.decode(String.self, "k") })
    }

    /// Compares run `b` with run `a`.
    static func compare(_ store: PipelineStore, a runA: UUID, b runB: UUID) throws -> ReplayDiff {
        let a = Dictionary(grouping: try load(store, run: runA), by: \.observation)
        let b = Dictionary(grouping: try load(store, run: runB), by: \.observation)
        var diff = ReplayDiff()
        for observation in Set(a.keys).union(b.keys).sorted() {
            var remaining = b[observation] ?? []
            for c in a[observation] ?? [] {
                let nearest = remaining.indices.min { hypot(remaining[$0].x - c.x, remaining[$0].y - c.y) < hypot(remaining[$1].x - c.x, remaining[$1].y - c.y) }
                guard let n = nearest, hypot(remaining[n].x - c.x, remaining[n].y - c.y) <= 1 else {
                    diff.disappeared.append(c)
                    continue
                }
                let match = remaining.remove(at: n)
                let what = c.changes(to: match)
                if what.isEmpty { diff.unchanged += 1 } else { diff.changed.append((c, match, what)) }
            }
            diff.appeared += remaining
        }
        let (alertsA, alertsB) = (try alertKeys(store, run: runA), try alertKeys(store, run: runB))
        diff.newAlerts = alertsB.subtracting(alertsA).sorted()
        diff.goneAlerts = alertsA.subtracting(alertsB).sorted()
        return diff
    }

    /// The terminal report.
    func text(a: UUID, b: UUID) -> String {
        var table = TextTable(["", "COUNT"])
        table.add(["candidates unchanged", "\(unchanged)"])
        table.add(["candidates appeared in B", "\(appeared.count)"])
        table.add(["candidates gone in B", "\(disappeared.count)"])
        table.add(["candidates changed", "\(changed.count)"])
        table.add(["alerts new in B", "\(newAlerts.count)"])
        table.add(["alerts gone in B", "\(goneAlerts.count)"])
        var out = "A = \(a.uuidString.lowercased())\nB = \(b.uuidString.lowercased())\n" + table.render()
        for c in appeared.prefix(20) { out += "\n+ \(c.observation) #\(c.index) at \(String(format: "%.5f %+.5f", c.ra, c.dec)) snr \(String(format: "%.1f", c.snr)) \(c.type ?? "")" }
        for c in disappeared.prefix(20) { out += "\n- \(c.observation) #\(c.index) at \(String(format: "%.5f %+.5f", c.ra, c.dec))" }
        for c in changed.prefix(20) { out += "\n~ \(c.a.observation) #\(c.a.index): \(c.what.joined(separator: "; "))" }
        for k in newAlerts.prefix(20) { out += "\n+ alert \(k)" }
        for k in goneAlerts.prefix(20) { out += "\n- alert \(k)" }
        return out
    }

    /// An HTML page with the differences and their difference stamps.
    func html(a: UUID, b: UUID) -> String {
        func stamp(_ c: DiffCandidate) -> String {
            guard c.stampSize > 0, c.stamp.count == 4 * c.stampSize * c.stampSize else { return "" }
            let pixels: [Float] = c.stamp.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
            var panels = Panels()
            panels.add(Image(width: c.stampSize, height: c.stampSize, pixels: pixels), zoom: 2)
            return "<img alt=\"difference stamp\" src=\"data:image/png;base64,\(panels.png().base64EncodedString())\">"
        }
        func row(_ sign: String, _ c: DiffCandidate, _ what: String) -> String {
            "<tr><td>\(sign)</td><td>\(c.observation)</td><td>\(c.index)</td><td>\(String(format: "%.5f %+.5f", c.ra, c.dec))</td><td>\(what)</td><td>\(stamp(c))</td></tr>\n"
        }
        var body = "<h1>Replay diff</h1><p>A = \(a.uuidString.lowercased())<br>B = \(b.uuidString.lowercased())</p>\n"
        body += "<p>\(unchanged) candidates unchanged, \(appeared.count) appeared, \(disappeared.count) gone, \(changed.count) changed; "
            + "\(newAlerts.count) alerts new, \(goneAlerts.count) gone.</p>\n<table><tr><th></th><th>observation</th><th>#</th><th>RA Dec</th><th>what</th><th>stamp</th></tr>\n"
        for c in appeared.prefix(200) { body += row("+", c, "appeared, snr \(String(format: "%.1f", c.snr)) \(c.type ?? "")") }
        for c in disappeared.prefix(200) { body += row("−", c, "gone") }
        for c in changed.prefix(200) { body += row("~", c.b, c.what.joined(separator: "<br>")) }
        body += "</table>\n<h2>Alerts</h2><ul>" + newAlerts.map { "<li>+ \($0)</li>" }.joined() + goneAlerts.map { "<li>− \($0)</li>" }.joined() + "</ul>"
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Replay diff</title><style>body{font-family:sans-serif}td,th{padding:4px 8px;border-bottom:1px solid #ddd}img{image-rendering:pixelated}</style></head><body>\n\(body)\n</body></html>\n"
    }
}
