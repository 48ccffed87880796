import Foundation
import Store

/// The report's sections, each a piece of HTML.
enum ReportSections {
    static let colors = (candidates: "#8aa1b8", detections: "#2a9d58", anomalies: "#d1495b", alerts: "#7b2cbf")

    /// Per field: seeing, depth and astrometric rms over the night, counts
    /// per observation, and the table of observations.
    static func fields(_ observations: [ReportObservation]) -> String {
        var html = "<h2>Fields</h2>"
        guard !observations.isEmpty else { return html + "<p>No science observation of this night in this run.</p>" }
        let byField = Dictionary(grouping: observations, by: \.field)
        for field in byField.keys.sorted() {
            let rows = byField[field]!.sorted { ($0.dateObs, $0.key) < ($1.dateObs, $1.key) }
            html += "<h3>\(HTML.escape(field)) — \(rows.count) observation\(rows.count == 1 ? "" : "s")</h3><div class=\"charts\">"
            html += SVGChart.overTime(title: "Seeing FWHM", unit: "arcsec", series: [
                .init(label: "seeing", color: "#3a86ff", points: rows.compactMap { o in o.seeingArcsec.map { (o.dateObs, $0) } }),
            ], digits: 2) ?? ""
            let depths = rows.compactMap { o in o.limitingMagnitude.map { (o.dateObs, $0) } }
            if !depths.isEmpty {
                html += SVGChart.overTime(title: "Depth, 5σ point source", unit: "mag",
                                          series: [.init(label: "depth", color: "#2a9d58", points: depths)], digits: 2) ?? ""
            } else {
                html += SVGChart.overTime(title: "Depth, 5σ point-source flux (no zero point)", unit: "ADU", series: [
                    .init(label: "5σ flux", color: "#2a9d58", points: rows.compactMap { o in o.pointFluxError.map { (o.dateObs, 5 * $0) } }),
                ], digits: 0) ?? ""
            }
            html += SVGChart.overTime(title: "Astrometric rms", unit: "arcsec", series: [
                .init(label: "rms", color: "#e07a00", points: rows.compactMap { o in o.astrometricRMSArcsec.map { (o.dateObs, $0) } }),
            ], digits: 3) ?? ""
            html += SVGChart.groupedCounts(
                title: "Per observation", categories: rows.map { String(HTML.time($0.dateObs).prefix(5)) },
                series: [("candidates", colors.candidates, rows.map(\.candidates)),
                         ("detections", colors.detections, rows.map(\.detections)),
                         ("anomalies", colors.anomalies, rows.map(\.anomalies)),
                         ("alerts", colors.alerts, rows.map(\.alerts))])
            html += "</div>" + table(rows)
        }
        return html
    }

    static func table(_ rows: [ReportObservation]) -> String {
        var html = "<table><tr><th class=\"text\">observation</th><th>DATE-OBS (UTC)</th><th>filter</th><th>airmass</th>"
            + "<th>seeing ″</th><th>depth 5σ</th><th>astrom. rms ″</th><th>stars</th><th>candidates</th><th>detections</th>"
            + "<th>anomalies</th><th>alerts</th><th class=\"text\">status</th></tr>"
        for o in rows {
            let depth = o.limitingMagnitude.map { HTML.number($0, 2) + " mag" }
                ?? o.pointFluxError.map { HTML.number(5 * $0, 0) + " ADU" } ?? "—"
            let status = o.status == "failed"
                ? "<span class=\"failed\">failed at \(HTML.escape(o.failedStage ?? "?"))</span>"
                : (o.status == "alerted" ? "<span class=\"ok\">done</span>" : HTML.escape(o.status))
            html += "<tr><td class=\"text\">\(HTML.escape(o.key))</td><td>\(HTML.dateTime(o.dateObs))</td>"
                + "<td>\(HTML.escape(o.filter ?? "—"))</td><td>\(HTML.number(o.airmass, 2))</td><td>\(HTML.number(o.seeingArcsec, 2))</td>"
                + "<td>\(depth)</td><td>\(HTML.number(o.astrometricRMSArcsec, 3))</td><td>\(o.matchedStars.map(String.init) ?? "—")</td>"
                + "<td>\(o.candidates)</td><td>\(o.detections)</td><td>\(o.anomalies)</td><td>\(o.alerts)</td><td class=\"text\">\(status)</td></tr>"
        }
        return html + "</table>"
    }

    /// The embedding map, inline.
    static func embedding(svg: String?, caption: String) -> String {
        var html = "<h2>Embedding map</h2>"
        guard let svg else { return html + "<p>\(HTML.escape(caption))</p>" }
        // The SVG's own XML prolog is not allowed inside HTML.
        let inline = svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }.dropFirst()) : svg
        html += "<div class=\"embedding\">\(inline)</div><p class=\"note\">\(HTML.escape(caption))</p>"
        return html
    }

    /// How long files took from landing to the end of the chain, and alerts
    /// from landing to being raised.
    static func latency(_ observations: [ReportObservation], alerts: [ReportAlert]) -> String {
        var html = "<h2>Latency</h2><div class=\"charts\">"
        let chain = observations.compactMap { o in o.finishedAt.map { $0.timeIntervalSince(o.landedAt) } }
        let raised = alerts.compactMap(\.latencySeconds)
        html += SVGChart.histogram(title: "File landed → observation alerted", unit: "s", values: chain) ?? ""
        html += SVGChart.histogram(title: "File landed → alert raised", unit: "s", values: raised) ?? ""
        html += "</div>"
        func line(_ name: String, _ values: [Double]) -> String {
            let s = values.sorted()
            guard !s.isEmpty else { return "<tr><td class=\"text\">\(name)</td><td colspan=\"4\">no values</td></tr>" }
            return "<tr><td class=\"text\">\(name)</td><td>\(s.count)</td>"
                + [0.5, 0.9, 0.99].map { "<td>\(HTML.duration(SVGChart.quantile(s, $0)))</td>" }.joined() + "</tr>"
        }
        return html + "<table><tr><th class=\"text\">latency</th><th>n</th><th>p50</th><th>p90</th><th>p99</th></tr>"
            + line("file landed → observation alerted", chain) + line("file landed → alert raised", raised) + "</table>"
    }

    /// Items that failed and files quarantined, with why.
    static func failures(_ failed: [FailedItem], quarantined: [ReportQuarantine], observations: [ReportObservation]) -> String {
        var html = "<h2>Failures</h2>"
        if failed.isEmpty && quarantined.isEmpty { return html + "<p class=\"ok\">Nothing failed.</p>" }
        let keys = Dictionary(observations.map { ($0.id, $0.key) }, uniquingKeysWith: { a, _ in a })
        if !failed.isEmpty {
            html += "<table><tr><th class=\"text\">file</th><th class=\"text\">observation</th><th class=\"text\">stage</th><th class=\"text\">why</th></tr>"
            for f in failed {
                html += "<tr><td class=\"text\">\(HTML.escape(URL(fileURLWithPath: f.filePath).lastPathComponent))</td>"
                    + "<td class=\"text\">\(HTML.escape(keys[f.observationID] ?? f.observationID.uuidString.lowercased()))</td>"
                    + "<td class=\"text\">\(HTML.escape(f.stage ?? "—"))</td><td class=\"text failed\">\(HTML.escape(f.error ?? "—"))</td></tr>"
            }
            html += "</table>"
        }
        if !quarantined.isEmpty {
            html += "<h3>Quarantined files</h3><table><tr><th class=\"text\">file</th><th>seen (UTC)</th><th class=\"text\">why</th></tr>"
            for q in quarantined {
                html += "<tr><td class=\"text\">\(HTML.escape(q.path))</td><td>\(HTML.dateTime(q.seenAt))</td>"
                    + "<td class=\"text failed\">\(HTML.escape(q.reason))</td></tr>"
            }
            html += "</table>"
        }
        return html
    }

    /// The other runs that processed this night, for `--run`.
    static func otherRuns(_ runs: [RunRecord], current: UUID) -> String {
        let others = runs.filter { $0.id != current }
        guard !others.isEmpty else { return "" }
        return "<h2>Other runs of this night</h2><table><tr><th class=\"text\">run</th><th class=\"text\">kind</th><th>started (UTC)</th><th class=\"text\">source</th></tr>"
            + others.map { r in
                "<tr><td class=\"text\"><code>\(r.id.uuidString.lowercased())</code></td><td class=\"text\">\(r.kind.rawValue)</td>"
                    + "<td>\(HTML.dateTime(r.startedAt))</td><td class=\"text\">\(HTML.escape(r.source ?? "—"))</td></tr>"
            }.joined() + "</table><p class=\"note\">nocturne report NIGHT --run RUN reports on another.</p>"
    }
}
