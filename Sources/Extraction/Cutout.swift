import Imaging

extension Image {
    /// The `width`×`height` window whose pixel (0, 0) is this image's
    /// (`originX`, `originY`); pixels past the image are `outside`.
    func window(originX: Int, originY: Int, width: Int, height: Int, outside: Pixel) -> Image<Pixel> {
        var out = Image(width: width, height: height, repeating: outside)
        let x0 = max(0, originX), x1 = min(self.width, originX + width)
        let y0 = max(0, originY), y1 = min(self.height, originY + height)
        guard x0 < x1, y0 < y1 else { return out }
        for y in y0..<y1 {
            let source = y * self.width, target = (y - originY) * width - originX
            for x in x0..<x1 { out.pixels[target + x] = pixels[source + x] }
        }
        return out
    }
}

/// Sign-adjusted D and the merged mask in a small square around a peak.
///
/// Centroids, moments and the box features read only a few FWHM around a
/// candidate; a local copy multiplied by the candidate's sign lets them run
/// unchanged on negatives without negating the whole of D. Off the image,
/// pixels are NaN and `.noData`, which every measurement skips.
struct Cutout {
    /// The full-image column and row of the cutout's pixel (0, 0).
    let originX: Int, originY: Int
    /// sign × D.
    let image: Image<Float>
    /// The merged mask.
    let mask: Image<MaskBits>

    /// A square of side 2 `halfSize` + 1 centred on pixel (`x`, `y`).
    init(difference: Image<Float>, mask: Image<MaskBits>, x: Int, y: Int, halfSize: Int, sign: Float) {
        let side = 2 * halfSize + 1
        originX = x - halfSize
        originY = y - halfSize
        var values = difference.window(originX: originX, originY: originY, width: side, height: side, outside: .nan)
        if sign < 0 {
            for i in 0..<values.count { values.pixels[i] = -values.pixels[i] }
        }
        image = values
        self.mask = mask.window(originX: originX, originY: originY, width: side, height: side, outside: .noData)
    }

    /// A full-image position in cutout coordinates.
    func local(_ point: PixelPoint) -> PixelPoint {
        PixelPoint(x: point.x - Double(originX), y: point.y - Double(originY))
    }

    /// A cutout position in full-image coordinates.
    func global(_ point: PixelPoint) -> PixelPoint {
        PixelPoint(x: point.x + Double(originX), y: point.y + Double(originY))
    }
}
