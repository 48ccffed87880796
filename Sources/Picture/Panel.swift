import Foundation
import Imaging

/// A picture built from image panels side by side (science, reference,
/// difference), each stretched on its own, separated by a thin gap: the view
/// of a candidate astronomers expect.
public struct Panels {
    private var tiles: [(pixels: [UInt8], width: Int, height: Int)] = []
    /// Grey level of the gaps between panels.
    public var gapGrey: UInt8 = 40

    /// An empty row of panels.
    public init() {}

    /// Adds an image, stretched with `limits` (robust limits when nil), and
    /// scaled up by an integer `zoom` with nearest-neighbour pixels.
    public mutating func add(_ image: Image<Float>, limits: Stretch.Limits? = nil, asinh: Bool = false, zoom: Int = 1) {
        let grey = Stretch.grey(image, limits: limits ?? Stretch.robustLimits(image), asinh: asinh)
        let w = image.width * zoom, h = image.height * zoom
        var scaled = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w { scaled[y * w + x] = grey[(y / zoom) * image.width + x / zoom] }
        }
        tiles.append((scaled, w, h))
    }

    /// The PNG of the panels in a row.
    public func png(gap: Int = 4) -> Data {
        let r = raster(gap: gap)
        return PNGEncoder.encode(width: r.width, height: r.height, colorType: .gray, pixels: r.pixels)
    }

    /// The panels in a row as grey pixels.
    func raster(gap: Int) -> (pixels: [UInt8], width: Int, height: Int) {
        let height = tiles.map(\.height).max() ?? 1
        let width = max(1, tiles.map(\.width).reduce(0, +) + gap * max(0, tiles.count - 1))
        var pixels = [UInt8](repeating: gapGrey, count: width * height)
        var x0 = 0
        for tile in tiles {
            for y in 0..<tile.height {
                for x in 0..<tile.width { pixels[y * width + x0 + x] = tile.pixels[y * tile.width + x] }
            }
            x0 += tile.width + gap
        }
        return (pixels, width, height)
    }
}

extension Panels {
    /// Rows of panels stacked top to bottom into one PNG.
    public static func stacked(_ rows: [Panels], gap: Int = 4) -> Data {
        let rendered = rows.map { $0.raster(gap: gap) }
        let width = rendered.map(\.width).max() ?? 1
        let height = max(1, rendered.map(\.height).reduce(0, +) + gap * max(0, rendered.count - 1))
        var pixels = [UInt8](repeating: 40, count: width * height)
        var y0 = 0
        for r in rendered {
            for y in 0..<r.height {
                for x in 0..<r.width { pixels[(y0 + y) * width + x] = r.pixels[y * r.width + x] }
            }
            y0 += r.height + gap
        }
        return PNGEncoder.encode(width: width, height: height, colorType: .gray, pixels: pixels)
    }
}
