import Foundation

/// Small self-contained SVG charts (no scripts, no external resources):
/// values over the night, grouped counts, and a histogram with quantiles.
enum SVGChart {
    /// One line of points of a chart over time.
    struct Series {
        var label: String
        var color: String
        var points: [(x: Date, y: Double)]
    }

    static let width = 560.0, height = 220.0
    static let barColor = "#5b8def"
    static let left = 56.0, right = 16.0, top = 26.0, bottom = 34.0

    /// Values against UTC time; each series a line with dots. Nil when no
    /// point is finite.
    static func overTime(title: String, unit: String, series: [Series], digits: Int = 1) -> String? {
        let points = series.flatMap(\.points).filter { $0.y.isFinite }
        guard let first = points.map(\.x).min(), let last = points.map(\.x).max() else { return nil }
        let span = max(last.timeIntervalSince(first), 60)
        let ys = points.map(\.y), (low, high) = padded(ys.min()!, ys.max()!)
        func px(_ d: Date) -> Double { left + (width - left - right) * d.timeIntervalSince(first) / span }
        func py(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (v - low) / (high - low)) }
        var svg = open(title: "\(title) (\(unit))")
        svg += yAxis(ticks: niceTicks(low, high), position: py, digits: digits)
        for k in 0...4 {
            let d = first.addingTimeInterval(span * Double(k) / 4)
            svg += #"<text x="\#(f(px(d)))" y="\#(f(height - 12))" text-anchor="middle">\#(HTML.time(d).prefix(5))</text>"#
        }
        for s in series {
            let finite = s.points.filter { $0.y.isFinite }.sorted { $0.x < $1.x }
            guard !finite.isEmpty else { continue }
            let path = finite.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += #"<polyline fill="none" stroke="\#(s.color)" stroke-width="1.5" points="\#(path)"/>"#
            for p in finite {
                svg += #"<circle cx="\#(f(px(p.x)))" cy="\#(f(py(p.y)))" r="3" fill="\#(s.color)"><title>\#(HTML.escape(s.label)) \#(HTML.time(p.x)): \#(HTML.number(p.y, digits)) \#(HTML.escape(unit))</title></circle>"#
            }
        }
        svg += legend(series.map { ($0.label, $0.color) })
        return svg + "</svg>"
    }

    /// Counts per category (one group of bars per observation), on a
    /// log(1 + n) axis so that tens of anomalies show beside thousands of
    /// candidates; each bar is labelled with its count.
    static func groupedCounts(title: String, categories: [String], series: [(label: String, color: String, values: [Int])]) -> String {
        let maxValue = max(1, series.flatMap(\.values).max() ?? 1)
        let high = log10(1 + Double(maxValue)) * 1.08
        func py(_ v: Int) -> Double { top + (height - top - bottom) * (1 - log10(1 + Double(v)) / high) }
        let plotWidth = width - left - right
        let group = plotWidth / Double(max(1, categories.count))
        let bar = max(2, min(18, group * 0.8 / Double(max(1, series.count))))
        var svg = open(title: title)
        let ticks = [0, 1, 10, 100, 1000, 10000, 100000].filter { $0 <= maxValue * 10 && log10(1 + Double($0)) <= high }
        for t in ticks {
            svg += #"<line x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(py(t)))" y2="\#(f(py(t)))" class="grid"/>"#
            svg += #"<text x="\#(f(left - 6))" y="\#(f(py(t) + 4))" text-anchor="end">\#(t)</text>"#
        }
        for (c, name) in categories.enumerated() {
            let x0 = left + group * Double(c) + (group - bar * Double(series.count)) / 2
            for (s, one) in series.enumerated() where c < one.values.count {
                let v = one.values[c], x = x0 + bar * Double(s), y = py(v)
                svg += #"<rect x="\#(f(x))" y="\#(f(y))" width="\#(f(bar - 1))" height="\#(f(py(0) - y))" fill="\#(one.color)"><title>\#(HTML.escape(name)): \#(v) \#(HTML.escape(one.label))</title></rect>"#
            }
            if categories.count <= 16 || c % ((categories.count + 15) / 16) == 0 {
                svg += #"<text x="\#(f(left + group * (Double(c) + 0.5)))" y="\#(f(height - 12))" text-anchor="middle">\#(HTML.escape(name))</text>"#
            }
        }
        svg += legend(series.map { ($0.label, $0.color) })
        return svg + "</svg>"
    }

    /// A histogram of `values` with the 50th, 90th and 99th percentiles
    /// marked. Nil without values.
    static func histogram(title: String, unit: String, values: [Double], bins: Int = 24) -> String? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let lowest = sorted.first, let highest = sorted.last else { return nil }
        let low = min(0, lowest), high = highest > low ? highest * 1.05 : low + 1
        var counts = [Int](repeating: 0, count: bins)
        for v in sorted { counts[min(bins - 1, Int((v - low) / (high - low) * Double(bins)))] += 1 }
        let top = Double(counts.max() ?? 1)
        func px(_ v: Double) -> Double { left + (width - left - right) * (v - low) / (high - low) }
        func py(_ n: Double) -> Double { Self.top + (height - Self.top - bottom) * (1 - n / (top * 1.1)) }
        var svg = open(title: "\(title) (\(unit)), \(sorted.count) values")
        svg += yAxis(ticks: niceTicks(0, top * 1.1).filter { $0 == $0.rounded() }, position: py, digits: 0)
        let step = (high - low) / Double(bins)
        for (b, n) in counts.enumerated() where n > 0 {
            let x = px(low + step * Double(b))
            svg += #"<rect x="\#(f(x))" y="\#(f(py(Double(n))))" width="\#(f(px(low + step) - px(low) - 1))" height="\#(f(py(0) - py(Double(n))))" fill="\#(Self.barColor)"><title>\#(HTML.number(low + step * Double(b), 2))–\#(HTML.number(low + step * Double(b + 1), 2)) \#(HTML.escape(unit)): \#(n)</title></rect>"#
        }
        for t in niceTicks(low, high) {
            svg += #"<text x="\#(f(px(t)))" y="\#(f(height - 12))" text-anchor="middle">\#(HTML.number(t, t < 10 ? 1 : 0))</text>"#
        }
        for (name, q, color) in [("p50", 0.5, "#2a9d58"), ("p90", 0.9, "#e0a100"), ("p99", 0.99, "#d1495b")] {
            let v = quantile(sorted, q), x = px(v)
            svg += #"<line x1="\#(f(x))" x2="\#(f(x))" y1="\#(f(Self.top))" y2="\#(f(py(0)))" stroke="\#(color)" stroke-dasharray="4 3"/>"#
            // Labels near the right edge go left of their line.
            let (lx, anchor) = x > width - right - 90 ? (x - 3, "end") : (x + 3, "start")
            svg += #"<text x="\#(f(lx))" y="\#(f(Self.top + 10 + (q == 0.9 ? 12 : q == 0.99 ? 24 : 0)))" text-anchor="\#(anchor)" fill="\#(color)">\#(name) \#(HTML.number(v, 2))</text>"#
        }
        return svg + "</svg>"
    }

    /// The `q` quantile of sorted values (nearest rank).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
    }

    /// About five round tick values covering low...high.
    static func niceTicks(_ low: Double, _ high: Double) -> [Double] {
        let span = max(high - low, 1e-12), raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var t = (low / step).rounded(.up) * step
        while t <= high + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    private static func padded(_ low: Double, _ high: Double) -> (Double, Double) {
        let pad = high > low ? (high - low) * 0.12 : max(abs(low) * 0.05, 0.5)
        return (low - pad, high + pad)
    }

    private static func open(title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(f(width)) \#(f(height))" width="\#(f(width))" height="\#(f(height))" role="img"><title>\#(HTML.escape(title))</title><text x="\#(f(left))" y="16" class="chart-title">\#(HTML.escape(title))</text>"#
            + #"<line x1="\#(f(left))" x2="\#(f(left))" y1="\#(f(top))" y2="\#(f(height - bottom))" class="axis"/><line x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(height - bottom))" y2="\#(f(height - bottom))" class="axis"/>"#
    }

    private static func yAxis(ticks: [Double], position: (Double) -> Double, digits: Int) -> String {
        ticks.map { t in
            #"<line x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(position(t)))" y2="\#(f(position(t)))" class="grid"/><text x="\#(f(left - 6))" y="\#(f(position(t) + 4))" text-anchor="end">\#(HTML.number(t, digits))</text>"#
        }.joined()
    }

    private static func legend(_ entries: [(String, String)]) -> String {
        var x = width - right
        var out = ""
        for (label, color) in entries.reversed() {
            x -= 14 + Double(label.count) * 6.5
            out += #"<rect x="\#(f(x))" y="8" width="10" height="10" fill="\#(color)"/><text x="\#(f(x + 13))" y="17">\#(HTML.escape(label))</text>"#
        }
        return out
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
