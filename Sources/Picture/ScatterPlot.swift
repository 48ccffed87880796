import Foundation

/// A scatter plot as SVG text: layers of points drawn in order (the last
/// on top), with a legend, axes ticks and a title. For maps such as the
/// embedding, where a picture says what a table cannot.
public struct ScatterPlot: Sendable {
    /// One set of points with one look.
    public struct Layer: Sendable {
        public var label: String
        /// CSS colour, e.g. `#999` or `crimson`.
        public var color: String
        /// Radius in SVG pixels.
        public var radius: Double
        public var opacity: Double
        public var points: [(x: Double, y: Double)]

        public init(label: String, color: String, radius: Double, opacity: Double, points: [(x: Double, y: Double)]) {
            self.label = label; self.color = color; self.radius = radius; self.opacity = opacity; self.points = points
        }
    }

    public var title: String
    public var xLabel: String, yLabel: String
    public var layers: [Layer]
    /// Size of the whole picture, SVG pixels.
    public var width = 900.0, height = 700.0

    public init(title: String, xLabel: String, yLabel: String, layers: [Layer]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.layers = layers
    }

    /// The SVG document.
    public func svg() -> String {
        let all = layers.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let (x0, x1) = Self.range(all.map(\.x)), (y0, y1) = Self.range(all.map(\.y))
        let left = 70.0, right = width - 200, top = 50.0, bottom = height - 60
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - y0) / (y1 - y0) * (bottom - top) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="13">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="30" font-size="17">\(Self.escape(title))</text>
            <rect x="\(left)" y="\(top)" width="\(right - left)" height="\(bottom - top)" fill="none" stroke="#444"/>

            """
        for i in 0...4 {
            let fx = x0 + (x1 - x0) * Double(i) / 4, fy = y0 + (y1 - y0) * Double(i) / 4
            out += "<text x=\"\(Self.f(px(fx)))\" y=\"\(Self.f(bottom + 18))\" text-anchor=\"middle\">\(Self.f(fx))</text>\n"
            out += "<text x=\"\(Self.f(left - 8))\" y=\"\(Self.f(py(fy) + 4))\" text-anchor=\"end\">\(Self.f(fy))</text>\n"
        }
        out += "<text x=\"\(Self.f((left + right) / 2))\" y=\"\(Self.f(height - 15))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(Self.f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>\n"
        for (n, layer) in layers.enumerated() {
            out += "<g fill=\"\(layer.color)\" fill-opacity=\"\(layer.opacity)\">\n"
            for p in layer.points where p.x.isFinite && p.y.isFinite {
                out += "<circle cx=\"\(Self.f(px(p.x)))\" cy=\"\(Self.f(py(p.y)))\" r=\"\(layer.radius)\"/>\n"
            }
            out += "</g>\n"
            let ly = top + 10 + Double(n) * 24
            out += "<circle cx=\"\(Self.f(right + 25))\" cy=\"\(Self.f(ly))\" r=\"6\" fill=\"\(layer.color)\"/>\n"
            out += "<text x=\"\(Self.f(right + 38))\" y=\"\(Self.f(ly + 4))\">\(Self.escape(layer.label)) (\(layer.points.count))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// A padded [min, max] that is never empty.
    static func range(_ values: [Double]) -> (Double, Double) {
        guard let lo = values.min(), let hi = values.max() else { return (0, 1) }
        let pad = max((hi - lo) * 0.05, 1e-9)
        return (lo - pad, hi + pad)
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
