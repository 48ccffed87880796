import Foundation
import Store

/// Everything the morning-after report shows, gathered by the caller.
public struct NightReportInput: Sendable {
    /// The night, `YYYY-MM-DD` (the evening's UTC date).
    public var night: String
    /// The run reported on, and every run that touched the night (listed).
    public var run: RunRecord
    public var runsOfNight: [RunRecord]
    public var observations: [ReportObservation]
    public var alerts: [ReportAlert]
    public var failures: [FailedItem]
    public var quarantined: [ReportQuarantine]
    /// The embedding map as SVG (baseline, the run's candidates, anomalies),
    /// and a line saying which model drew it; nil without a map.
    public var embeddingSVG: String?
    public var embeddingCaption: String
    public var generatedAt: Date

    /// The report's data; `generatedAt` is when it was written.
    public init(night: String, run: RunRecord, runsOfNight: [RunRecord], observations: [ReportObservation],
                alerts: [ReportAlert], failures: [FailedItem], quarantined: [ReportQuarantine], embeddingSVG: String?,
                embeddingCaption: String, generatedAt: Date = Date()) {
        self.night = night
        self.run = run
        self.runsOfNight = runsOfNight
        self.observations = observations
        self.alerts = alerts
        self.failures = failures
        self.quarantined = quarantined
        self.embeddingSVG = embeddingSVG
        self.embeddingCaption = embeddingCaption
        self.generatedAt = generatedAt
    }
}

/// The night report: one self-contained HTML file (inline CSS, SVG charts,
/// PNG stamps as data URIs) for the morning after.
///
/// The page carries a small script that, once loaded, records on `<body>`
/// whether every image decoded (`data-check="ok N"`) and any script or
/// resource error (`data-errors`), so a headless browser can vouch for it.
public enum NightReport {
    /// The page for `input`.
    public static func html(_ input: NightReportInput) -> String {
        let run = input.run
        let title = "Nocturne night report \(input.night)"
        var body = "<header><h1>\(HTML.escape(title))</h1>"
        body += "<p class=\"meta\">run <code>\(run.id.uuidString.lowercased())</code> · \(run.kind.rawValue) · \(HTML.escape(run.status))"
        body += " · code \(HTML.escape(run.codeVersion)) · started \(HTML.dateTime(run.startedAt)) UTC"
        body += run.source.map { " · source \(HTML.escape($0))" } ?? ""
        body += " · written \(HTML.dateTime(input.generatedAt)) UTC</p></header>"
        body += summary(input)
        body += ReportSections.fields(input.observations)
        body += ReportSections.embedding(svg: input.embeddingSVG, caption: input.embeddingCaption)
        body += ReportSections.alerts(input.alerts)
        body += ReportSections.latency(input.observations, alerts: input.alerts)
        body += ReportSections.failures(input.failures, quarantined: input.quarantined, observations: input.observations)
        body += ReportSections.otherRuns(input.runsOfNight, current: run.id)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style>
            <script>\(selfCheck)</script></head>
            <body>\(body)</body></html>

            """
    }

    static func summary(_ input: NightReportInput) -> String {
        let o = input.observations
        let finished = o.filter { $0.status == "alerted" }.count
        let failed = o.filter { $0.status == "failed" }.count
        let tiles: [(String, String, String)] = [
            ("observations", "\(o.count)", "\(finished) through the chain" + (failed > 0 ? ", \(failed) failed" : "")),
            ("fields", "\(Set(o.map(\.field)).count)", Set(o.compactMap(\.filter)).sorted().joined(separator: " ")),
            ("candidates", "\(o.map(\.candidates).reduce(0, +))", "\(o.map(\.detections).reduce(0, +)) detections"),
            ("anomalies", "\(o.map(\.anomalies).reduce(0, +))", "\(input.alerts.count) alerts"),
            ("open alerts", "\(input.alerts.filter { $0.state == "active" }.count)",
             "\(input.alerts.filter { $0.state == "acknowledged" }.count) acknowledged, \(input.alerts.filter { $0.state == "resolved" }.count) resolved"),
            ("failures", "\(input.failures.count + input.quarantined.count)", "\(input.quarantined.count) files quarantined"),
        ]
        return "<section class=\"tiles\">" + tiles.map { name, value, note in
            "<div class=\"tile\"><div class=\"value\">\(HTML.escape(value))</div><div class=\"name\">\(name)</div><div class=\"note\">\(HTML.escape(note))</div></div>"
        }.joined() + "</section>"
    }

    static let selfCheck = """
        (function () {
          var errors = [];
          window.addEventListener('error', function (e) {
            var t = e.target;
            errors.push(t && t !== window && t.tagName ? 'resource ' + t.tagName + ' failed' : String(e.message));
          }, true);
          window.addEventListener('load', function () {
            var images = Array.prototype.slice.call(document.images);
            var broken = images.filter(function (i) { return !i.complete || i.naturalWidth === 0; });
            if (broken.length) errors.push(broken.length + ' image(s) did not decode');
            document.body.setAttribute('data-check', errors.length ? 'failed' : 'ok ' + images.length);
            if (errors.length) document.body.setAttribute('data-errors', errors.join('; '));
          });
        })();
        """

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#1d2430;background:#fafbfc}
        h1{font-size:24px;margin:4px 0}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d8dee6;padding-bottom:4px}
        h3{font-size:16px;margin:18px 0 6px}.meta{color:#5a6473;margin:2px 0 10px}code{font-size:12px}
        .tiles{display:flex;gap:10px;flex-wrap:wrap}.tile{background:#fff;border:1px solid #d8dee6;border-radius:8px;padding:8px 14px;min-width:150px}
        .tile .value{font-size:24px;font-weight:600}.tile .name{color:#5a6473}.tile .note{font-size:12px;color:#7a8492}
        table{border-collapse:collapse;background:#fff;margin:6px 0;font-size:12px}th,td{border:1px solid #e1e6ec;padding:3px 6px;text-align:right;white-space:nowrap}td.text{white-space:normal}
        th{background:#eef2f6}td.text,th.text{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:8px}
        svg.chart{background:#fff;border:1px solid #d8dee6;border-radius:6px;font-size:11px;fill:#3a4350}
        .chart .axis{stroke:#8a94a2}.chart .grid{stroke:#eef1f4}.chart .chart-title{font-size:13px;font-weight:600}
        .alert{background:#fff;border:1px solid #d8dee6;border-left:6px solid #999;border-radius:6px;padding:8px 12px;margin:10px 0;display:flex;gap:14px}
        .alert.critical{border-left-color:#7b2cbf}.alert.high{border-left-color:#d1495b}.alert.medium{border-left-color:#e0a100}.alert.low{border-left-color:#3a86ff}
        .alert img{image-rendering:pixelated;border:1px solid #ccc;max-width:420px}.alert .title{font-weight:600}
        .lifecycle{list-style:none;padding:0;margin:4px 0;font-size:12px}.lifecycle li{margin:1px 0}
        .badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;background:#e8ecf1;margin-right:4px}
        .badge.active{background:#ffe3e3}.badge.acknowledged{background:#fff3c4}.badge.resolved{background:#d9f5e1}.badge.expired{background:#e8e8e8}
        .failed{color:#b42318}.ok{color:#2a7d4f}.embedding svg{max-width:100%;height:auto;background:#fff;border:1px solid #d8dee6;border-radius:6px}
        .note{color:#5a6473;font-size:12px}
        """
}
