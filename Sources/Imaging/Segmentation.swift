/// A connected group of pixels above a detection threshold.
public struct Segment: Sendable {
    /// Row-major indices into the image (`y * width + x`), in scan order.
    public var pixels: [Int32]
    /// Bounding box, inclusive, in 0-based array coordinates.
    public var minX: Int, maxX: Int, minY: Int, maxY: Int
    /// The index and value of the brightest pixel.
    public var peakIndex: Int
    public var peakValue: Float

    /// Number of pixels in the segment.
    public var area: Int { pixels.count }
}

/// Finds segments: 8-connected groups of pixels above a threshold, in one
/// pass of run-length labelling with union-find, O(pixels).
public enum Segmentation {
    /// Segments of pixels where `image > threshold`, skipping NaNs and pixels
    /// whose mask carries any of `excluded`.
    ///
    /// - Parameters:
    ///   - image: the detection image (for ZOGY, S_corr; for stars, the
    ///     background-subtracted image over its rms).
    ///   - threshold: one value for every pixel, in the image's units.
    ///   - minimumArea: smaller segments are dropped (SExtractor DETECT_MINAREA).
    public static func segments(in image: Image<Float>, threshold: Float, minimumArea: Int = 5,
                                mask: Image<MaskBits>? = nil, excluded: MaskBits = .unusable) -> [Segment] {
        var above = [Bool](repeating: false, count: image.count)
        image.pixels.withUnsafeBufferPointer { pixels in
            for i in 0..<pixels.count where pixels[i] > threshold {
                if let mask, !mask.pixels[i].isDisjoint(with: excluded) { continue }
                above[i] = true
            }
        }
        return label(above, image: image, minimumArea: minimumArea)
    }

    /// Labels the `true` pixels of `above` into 8-connected segments.
    static func label(_ above: [Bool], image: Image<Float>, minimumArea: Int) -> [Segment] {
        let w = image.width, h = image.height
        var labels = [Int32](repeating: -1, count: w * h)
        var forest = UnionFind()
        for y in 0..<h {
            let row = y * w
            for x in 0..<w where above[row + x] {
                var current: Int32 = -1
                // Neighbours already visited: left, and the three above.
                let candidates = [(x - 1, y), (x - 1, y - 1), (x, y - 1), (x + 1, y - 1)]
                for (nx, ny) in candidates where nx >= 0 && ny >= 0 && nx < w {
                    let other = labels[ny * w + nx]
                    guard other >= 0 else { continue }
                    if current < 0 { current = other } else { forest.union(current, other) }
                }
                labels[row + x] = current >= 0 ? current : forest.make()
            }
        }
        return collect(labels, forest: &forest, image: image, minimumArea: minimumArea)
    }

    private static func collect(_ labels: [Int32], forest: inout UnionFind, image: Image<Float>,
                                minimumArea: Int) -> [Segment] {
        let w = image.width
        var slot = [Int32](repeating: -1, count: forest.count)
        var segments: [Segment] = []
        for i in 0..<labels.count where labels[i] >= 0 {
            let root = Int(forest.find(labels[i]))
            let x = i % w, y = i / w, v = image.pixels[i]
            if slot[root] < 0 {
                slot[root] = Int32(segments.count)
                segments.append(Segment(pixels: [], minX: x, maxX: x, minY: y, maxY: y, peakIndex: i, peakValue: v))
            }
            let s = Int(slot[root])
            segments[s].pixels.append(Int32(i))
            segments[s].minX = min(segments[s].minX, x)
            segments[s].maxX = max(segments[s].maxX, x)
            segments[s].maxY = y
            if v > segments[s].peakValue {
                segments[s].peakValue = v
                segments[s].peakIndex = i
            }
        }
        return segments.filter { $0.area >= minimumArea }
    }
}

/// Disjoint sets over dense integer labels, with path halving.
struct UnionFind {
    private var parent: [Int32] = []

    var count: Int { parent.count }

    mutating func make() -> Int32 {
        parent.append(Int32(parent.count))
        return Int32(parent.count - 1)
    }

    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            parent[Int(x)] = parent[Int(parent[Int(x)])]
            x = parent[Int(x)]
        }
        return x
    }

    mutating func union(_ a: Int32, _ b: Int32) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
    }
}
