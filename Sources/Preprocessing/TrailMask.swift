import Foundation
import Imaging

/// Finds satellite and aircraft trails: segments of the smoothed image that
/// are far longer and thinner than any star or galaxy. Each is masked along
/// its whole fitted line, beyond the part that was detected, because the
/// faint ends of a trail still leave a residual.
enum TrailMask {
    /// Marks trails in `mask` and returns each as two endpoints on the image
    /// border (0-based array coordinates).
    ///   - significance: the matched-filtered image in σ (shared with star
    ///     detection); pixels already known to be bad columns or cosmic rays
    ///     are left out, so a bad column is never taken for a trail.
    static func apply(_ image: Image<Float>, significance: Image<Float>, mask: inout Image<MaskBits>, seeing: Double,
                      parameters: PreprocessParameters) -> [(PixelPoint, PixelPoint)] {
        let minimumArea = Int(parameters.trailMinimumLength)
        let segments = Segmentation.segments(in: significance, threshold: Float(parameters.trailThreshold),
                                             minimumArea: minimumArea, mask: mask,
                                             excluded: [.noData, .saturated, .bad, .cosmicRay])
        var trails: [(PixelPoint, PixelPoint)] = []
        for segment in segments {
            guard let line = fitLine(segment, width: image.width, parameters: parameters) else { continue }
            let halfWidth = max(parameters.trailHalfWidthInFWHM * seeing, line.width / 2 + seeing)
            maskBand(&mask, centre: line.centre, direction: line.direction, halfWidth: halfWidth)
            trails.append(borderEndpoints(line.centre, line.direction, width: image.width, height: image.height))
        }
        return trails
    }

    struct Line {
        var centre: PixelPoint
        var direction: (x: Double, y: Double)
        var length: Double
        var width: Double
    }

    /// Principal axes of the segment's pixels: a uniform line of length L has
    /// variance L²/12 along it.
    static func fitLine(_ segment: Segment, width: Int, parameters: PreprocessParameters) -> Line? {
        let n = Double(segment.area)
        var sx = 0.0, sy = 0.0
        for index in segment.pixels {
            sx += Double(Int(index) % width)
            sy += Double(Int(index) / width)
        }
        let mx = sx / n, my = sy / n
        var xx = 0.0, yy = 0.0, xy = 0.0
        for index in segment.pixels {
            let dx = Double(Int(index) % width) - mx, dy = Double(Int(index) / width) - my
            xx += dx * dx
            yy += dy * dy
            xy += dx * dy
        }
        xx /= n; yy /= n; xy /= n
        let root = (((xx - yy) / 2) * ((xx - yy) / 2) + xy * xy).squareRoot()
        let major = (xx + yy) / 2 + root, minor = max((xx + yy) / 2 - root, 1e-6)
        let length = (12 * major).squareRoot(), thickness = (12 * minor).squareRoot()
        guard length >= parameters.trailMinimumLength, length / thickness >= parameters.trailMinimumElongation else {
            return nil
        }
        let angle = 0.5 * atan2(2 * xy, xx - yy)
        let direction = (x: cos(angle), y: sin(angle))
        // Stars the trail crosses join its segment and fatten the moments;
        // the median distance from the axis is immune (a band of width T has
        // median |d| = T/4).
        var distances = segment.pixels.map { index -> Float in
            let dx = Double(Int(index) % width) - mx, dy = Double(Int(index) / width) - my
            return Float(abs(dx * direction.y - dy * direction.x))
        }
        let robustWidth = 4 * Double(RobustStatistics.medianInPlace(&distances))
        return Line(centre: PixelPoint(x: mx, y: my), direction: direction, length: length, width: robustWidth)
    }

    private static func maskBand(_ mask: inout Image<MaskBits>, centre: PixelPoint, direction: (x: Double, y: Double),
                                 halfWidth: Double) {
        // Distance of (x, y) from the line is |(p − c) × d|.
        for y in 0..<mask.height {
            let dy = Double(y) - centre.y
            for x in 0..<mask.width {
                let distance = abs((Double(x) - centre.x) * direction.y - dy * direction.x)
                if distance <= halfWidth { mask[x, y].insert(.trail) }
            }
        }
    }

    private static func borderEndpoints(_ c: PixelPoint, _ d: (x: Double, y: Double), width: Int,
                                        height: Int) -> (PixelPoint, PixelPoint) {
        let big = Double(width + height)
        func clip(_ t: Double) -> PixelPoint {
            PixelPoint(x: min(max(c.x + t * d.x, 0), Double(width - 1)), y: min(max(c.y + t * d.y, 0), Double(height - 1)))
        }
        return (clip(-big), clip(big))
    }
}
