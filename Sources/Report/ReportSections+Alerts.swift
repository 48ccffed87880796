import Foundation
import Store

extension ReportSections {
    /// Each alert as a card: its stamps, what it is, and its lifecycle from
    /// raised to acknowledged, resolved or expired, with its deliveries.
    static func alerts(_ alerts: [ReportAlert]) -> String {
        var html = "<h2>Alerts</h2>"
        guard !alerts.isEmpty else { return html + "<p>No alert was raised for this night in this run.</p>" }
        let bySeverity = Dictionary(grouping: alerts, by: \.severity)
        html += "<p>" + ["critical", "high", "medium", "low"].compactMap { s in
            bySeverity[s].map { "<span class=\"badge\">\($0.count) \(s)</span>" }
        }.joined() + "</p>"
        for a in alerts { html += card(a) }
        return html
    }

    static func card(_ a: ReportAlert) -> String {
        var html = "<div class=\"alert \(HTML.escape(a.severity))\" id=\"alert-\(a.id.uuidString.lowercased())\">"
        if let png = a.stampsPNG, !png.isEmpty, Data(base64Encoded: png) != nil {
            html += "<div><img alt=\"science, reference and difference stamps\" src=\"data:image/png;base64,\(png)\">"
                + "<div class=\"note\">science · reference · difference</div></div>"
        }
        html += "<div><div class=\"title\">\(HTML.escape(a.title))</div>"
        html += "<div><span class=\"badge \(HTML.escape(a.state))\">\(HTML.escape(a.state))</span>"
            + "<span class=\"badge\">\(HTML.escape(a.severity))</span><span class=\"badge\">\(HTML.escape(a.rule)) v\(a.ruleVersion)</span>"
            + (a.suppression.map { "<span class=\"badge\">\(HTML.escape($0))\(a.suppressedBy.map { " by \(HTML.escape($0))" } ?? "")</span>" } ?? "")
            + "</div>"
        var facts: [String] = []
        if let key = a.observationKey { facts.append("observation \(HTML.escape(key))") }
        if let ra = a.ra, let dec = a.dec { facts.append("RA \(HTML.number(ra, 5))° Dec \(HTML.number(dec, 5))°") }
        facts.append("seen \(a.count)×")
        if let latency = a.latencySeconds { facts.append("raised \(HTML.duration(latency)) after its file landed") }
        html += "<div class=\"note\">\(facts.joined(separator: " · "))</div>"
        html += "<ul class=\"lifecycle\">" + lifecycle(a).map { "<li>\($0)</li>" }.joined() + "</ul>"
        if !a.deliveries.isEmpty {
            html += "<div class=\"note\">deliveries: " + a.deliveries.map { d in
                "\(HTML.escape(d.channel)) \(HTML.escape(d.target)) \(HTML.escape(d.status)) after \(d.attempts) attempt\(d.attempts == 1 ? "" : "s")"
                    + (d.error.map { " (\(HTML.escape($0)))" } ?? "")
            }.joined(separator: "; ") + "</div>"
        }
        return html + "</div></div>"
    }

    /// Raised, then every recorded action in time order; acknowledgement
    /// and resolution from the row when the audit log lacks them.
    static func lifecycle(_ a: ReportAlert) -> [String] {
        var steps: [(Date, String)] = [(a.firstSeen, "raised")]
        if a.lastSeen > a.firstSeen { steps.append((a.lastSeen, "last seen (\(a.count)×)")) }
        var actions = Set<String>()
        for e in a.events {
            actions.insert(e.action)
            let verb = e.action.replacingOccurrences(of: "alert.", with: "")
            var text = "\(HTML.escape(verb)) by \(HTML.escape(e.actor))"
            if verb == "acknowledged", let note = a.ackNote { text += ": “\(HTML.escape(note))”" }
            steps.append((e.at, text))
        }
        if let at = a.acknowledgedAt, !actions.contains("alert.acknowledged") {
            steps.append((at, "acknowledged by \(HTML.escape(a.acknowledgedBy ?? "?"))" + (a.ackNote.map { ": “\(HTML.escape($0))”" } ?? "")))
        }
        if let at = a.resolvedAt, !actions.contains("alert.resolved") {
            steps.append((at, "resolved by \(HTML.escape(a.resolvedBy ?? "?"))"))
        }
        return steps.sorted { $0.0 < $1.0 }.map { "\(HTML.dateTime($0.0)) — \($0.1)" }
    }
}
