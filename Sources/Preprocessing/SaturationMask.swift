import Imaging

/// Marks saturated pixels and the NaN pixels a file leaves without data.
enum SaturationMask {
    /// `.noData` for NaN, `.saturated` at or above `fraction × saturate`
    /// (raw units), grown by `growth` pixels, and along each column through a
    /// saturated core while the value stays above half the threshold: the
    /// edges of a bleed trail read below saturation but are still spoiled.
    static func apply(_ raw: Image<Float>, saturate: Double?, fraction: Double, growth: Int,
                      to mask: inout Image<MaskBits>) {
        for i in 0..<raw.count where raw.pixels[i].isNaN { mask.pixels[i].insert(.noData) }
        guard let saturate, saturate > 0 else { return }
        let level = Float(saturate * fraction)
        let w = raw.width, h = raw.height
        for i in 0..<raw.count where raw.pixels[i] >= level { mask.pixels[i].insert(.saturated) }
        let half = level / 2
        for x in 0..<w {
            var y = 0
            while y < h {
                guard mask[x, y].contains(.saturated) else { y += 1; continue }
                var top = y
                while top + 1 < h && (mask[x, top + 1].contains(.saturated) || raw[x, top + 1] >= half) { top += 1 }
                var bottom = y
                while bottom > 0 && raw[x, bottom - 1] >= half { bottom -= 1 }
                for yy in bottom...top { mask[x, yy].insert(.saturated) }
                y = top + 1
            }
        }
        mask.grow(.saturated, by: growth, setting: .saturated)
    }
}
