import Foundation
@testable import Store
import Testing
@testable import Report

/// The night report's page from hand-made data: every section present,
/// everything from the database escaped, charts drawn from the figures.
@Suite("Night report page")
struct NightReportTests {
    static let start = Date(timeIntervalSince1970: 1_795_377_600)  // 2026-11-22T20:00:00Z

    static func observation(_ n: Int, field: String = "F<1>", depth: Double? = 21.3, status: String = "alerted")
        -> ReportObservation {
        let at = start.addingTimeInterval(Double(n) * 3600)
        return ReportObservation(
            id: UUID(), key: "obs-\(n)", field: field, filter: "r", dateObs: at, airmass: 1.2, pixelScale: 0.5,
            status: status, failedStage: status == "failed" ? "difference" : nil,
            error: status == "failed" ? "bad <pixels> & more" : nil, landedAt: at, finishedAt: status == "alerted" ? at.addingTimeInterval(40 + Double(n)) : nil,
            seeingPixels: 4 + Double(n) / 4, astrometricRMSArcsec: 0.05, matchedStars: 300, limitingMagnitude: depth,
            pointFluxError: 120, candidates: 40 + n, detections: 20, anomalies: n % 2, alerts: n % 2)
    }

    static func input(observations: [ReportObservation], alerts: [ReportAlert] = [], failures: [FailedItem] = [],
                      quarantined: [ReportQuarantine] = []) -> NightReportInput {
        let run = RunRecord(id: UUID(), kind: .replay, night: "2026-11-22", status: "completed", codeVersion: "0.1.0",
                            source: "sim <night>", startedAt: start, finishedAt: nil)
        return NightReportInput(night: "2026-11-22", run: run, runsOfNight: [run], observations: observations,
                                alerts: alerts, failures: failures, quarantined: quarantined,
                                embeddingSVG: "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"2\"/></svg>",
                                embeddingCaption: "map v1", generatedAt: start)
    }

    @Test("every section is there, with a chart per figure per field and the map inline without its XML prolog")
    func sections() {
        let html = NightReport.html(Self.input(observations: (0..<4).map { Self.observation($0) }))
        for heading in ["Fields", "Embedding map", "Alerts", "Latency", "Failures"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        for chart in ["Seeing FWHM (arcsec)", "Depth, 5σ point source (mag)", "Astrometric rms (arcsec)", "Per observation",
                      "File landed → observation alerted (s), 4 values"] {
            #expect(html.contains("<title>\(chart)</title>"), "\(chart)")
        }
        #expect(!html.contains("<?xml"))
        #expect(html.contains("<circle r=\"2\"/>"))
        #expect(html.contains("21.30 mag") && html.contains("<td>2.25</td>"), "depth and seeing in arcsec (4.5 px × 0.5″)")
        #expect(html.contains("Nothing failed."))
        #expect(html.contains("data-check"), "the self-check script")
    }

    @Test("without a zero point the depth is the 5σ flux, and a field name, an error or a source is escaped")
    func escapingAndFallbacks() {
        let failed = Self.observation(2, depth: nil, status: "failed")
        let html = NightReport.html(Self.input(
            observations: [Self.observation(1, depth: nil), failed],
            failures: [FailedItem(observationID: failed.id, filePath: "/x/a<b>.fits", stage: "difference", error: "bad <pixels> & more")],
            quarantined: [ReportQuarantine(path: "/x/\"q\".fits", reason: "NAXIS missing", seenAt: Self.start)]))
        #expect(html.contains("600 ADU") && html.contains("no zero point"))
        #expect(html.contains("F&lt;1&gt;") && !html.contains("F<1>"))
        #expect(html.contains("bad &lt;pixels&gt; &amp; more") && !html.contains("bad <pixels>"))
        #expect(html.contains("a&lt;b&gt;.fits") && html.contains("&quot;q&quot;.fits") && html.contains("NAXIS missing"))
        #expect(html.contains("failed at difference"))
        #expect(html.contains("sim &lt;night&gt;"))
    }

    @Test("an alert card shows its stamps, rule version, state and every lifecycle step in time order")
    func alertCard() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString()
        let alert = ReportAlert(
            id: UUID(), title: "high anomaly in F1", kind: "candidate", severity: "high", state: "resolved",
            rule: "high-severity", ruleVersion: 3, count: 2, firstSeen: Self.start, lastSeen: Self.start.addingTimeInterval(60),
            acknowledgedBy: "ana", acknowledgedAt: Self.start.addingTimeInterval(120), ackNote: "looking <now>",
            resolvedBy: "ben", resolvedAt: Self.start.addingTimeInterval(300), suppression: nil, suppressedBy: nil,
            observationKey: "obs-1", ra: 10, dec: -5, latencySeconds: 0.8, stampsPNG: png,
            events: [(Self.start.addingTimeInterval(300), "ben", "alert.resolved"), (Self.start.addingTimeInterval(120), "ana", "alert.acknowledged")],
            deliveries: [("webhook", "ops", "delivered", 4, nil)])
        let html = NightReport.html(Self.input(observations: [Self.observation(1)], alerts: [alert]))
        #expect(html.contains("src=\"data:image/png;base64,\(png)\""))
        #expect(html.contains("high-severity v3") && html.contains("class=\"badge resolved\""))
        let raised = try #require(html.range(of: "raised</li>")), acked = try #require(html.range(of: "acknowledged by ana: “looking &lt;now&gt;”"))
        let resolved = try #require(html.range(of: "resolved by ben"))
        #expect(raised.lowerBound < acked.lowerBound && acked.lowerBound < resolved.lowerBound)
        #expect(html.components(separatedBy: "acknowledged by ana").count == 2, "the audit event and the row are one step")
        #expect(html.contains("webhook ops delivered after 4 attempts"))
        #expect(html.contains("File landed → alert raised (s), 1 values"))
    }

    @Test("chart ticks are round and cover the range; quantiles are by nearest rank")
    func chartHelpers() {
        #expect(SVGChart.niceTicks(0, 10) == [0, 2, 4, 6, 8, 10])
        #expect(SVGChart.niceTicks(1.47, 3.44) == [1.5, 2, 2.5, 3])
        let values = (1...100).map(Double.init)
        #expect(SVGChart.quantile(values, 0.5) == 50 && SVGChart.quantile(values, 0.99) == 99)
        #expect(SVGChart.histogram(title: "t", unit: "s", values: []) == nil)
        #expect(SVGChart.overTime(title: "t", unit: "u", series: [.init(label: "a", color: "#000", points: [])]) == nil)
    }
}
