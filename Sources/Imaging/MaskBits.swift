/// Why a pixel is not to be trusted. Masks are `Image<MaskBits>`, aligned
/// pixel for pixel with the image they describe; bits combine.
public struct MaskBits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// At or near the saturation level (SATURATE), or in a bleed trail.
    public static let saturated = MaskBits(rawValue: 1 << 0)
    /// A bad column, a hot or dead pixel.
    public static let bad = MaskBits(rawValue: 1 << 1)
    /// A cosmic-ray hit: sharper than the PSF allows.
    public static let cosmicRay = MaskBits(rawValue: 1 << 2)
    /// No data: NaN in the file, or outside the science image after resampling.
    public static let noData = MaskBits(rawValue: 1 << 3)
    /// A satellite or aircraft trail.
    public static let trail = MaskBits(rawValue: 1 << 4)
    /// Within a kernel width of the image border, where the FFT wraps light
    /// across: nothing is detected there.
    public static let edge = MaskBits(rawValue: 1 << 5)
    /// The value was replaced by interpolation from good neighbours (small
    /// defects: cosmic rays, hot pixels, bad columns). Usable for
    /// subtraction, not for measurement.
    public static let interpolated = MaskBits(rawValue: 1 << 6)
    /// Within a kernel width of zeroed pixels (saturated cores, no-data,
    /// trails), or 2 px of interpolated ones, where the subtraction leaves
    /// residual rings: nothing is detected there.
    public static let nearDefect = MaskBits(rawValue: 1 << 7)

    /// The empty set: a good pixel.
    public static let good: MaskBits = []

    /// The bits that make a pixel unusable for statistics and fitting.
    public static let unusable: MaskBits = [.saturated, .bad, .cosmicRay, .noData, .trail]

    /// Defects too large to interpolate over: subtraction sets these pixels
    /// to the background and excludes a kernel width around them.
    public static let zeroedForSubtraction: MaskBits = [.saturated, .noData, .trail]
}

extension MaskBits {
    /// Whether subtraction must zero this pixel: an unusable defect that was
    /// not repaired by interpolation.
    public var needsZeroing: Bool {
        !isDisjoint(with: .zeroedForSubtraction)
            || (!isDisjoint(with: .unusable) && !contains(.interpolated))
    }
}

extension Image where Pixel == MaskBits {
    /// An all-good mask of the given size.
    public static func good(width: Int, height: Int) -> Image<MaskBits> {
        Image(width: width, height: height, repeating: .good)
    }

    /// How many pixels carry any of `bits`.
    public func count(of bits: MaskBits) -> Int {
        pixels.reduce(0) { $0 + ($1.isDisjoint(with: bits) ? 0 : 1) }
    }

    /// Sets `bits` on every pixel within `radius` (Chebyshev distance) of a
    /// pixel that already carries any of `seed`: grows masks around cosmic
    /// rays, saturated cores and trails. O(pixels) whatever the radius.
    public mutating func grow(_ seed: MaskBits, by radius: Int, setting bits: MaskBits) {
        guard radius > 0 else { return }
        let hits = pixels.map { !$0.isDisjoint(with: seed) }
        let grown = BoxDilation.dilate(hits, width: width, height: height, radius: radius)
        for i in 0..<count where grown[i] { pixels[i].formUnion(bits) }
    }
}

/// Box dilation of a boolean raster by running counts along rows, then
/// columns.
public enum BoxDilation {
    /// `true` wherever any input pixel within `radius` (Chebyshev) is true.
    /// Few seeds (cosmic rays, saturated cores) are dilated box by box; many
    /// (a no-data border) by running counts, O(pixels) whatever the radius.
    public static func dilate(_ input: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        let seeds = input.indices.filter { input[$0] }
        let side = 2 * radius + 1
        if seeds.count * side * side < input.count {
            return sparse(seeds, width: width, height: height, radius: radius)
        }
        return runningCounts(input, width: width, height: height, radius: radius)
    }

    private static func sparse(_ seeds: [Int], width: Int, height: Int, radius: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: width * height)
        out.withUnsafeMutableBufferPointer { out in
            for seed in seeds {
                let x = seed % width, y = seed / width
                for yy in max(0, y - radius)...min(height - 1, y + radius) {
                    let row = yy * width
                    for xx in max(0, x - radius)...min(width - 1, x + radius) { out[row + xx] = true }
                }
            }
        }
        return out
    }

    private static func runningCounts(_ input: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        var rows = [Bool](repeating: false, count: input.count)
        for y in 0..<height {
            let base = y * width
            var inside = 0
            for x in 0..<min(radius, width) where input[base + x] { inside += 1 }
            for x in 0..<width {
                let enter = x + radius, leave = x - radius - 1
                if enter < width && input[base + enter] { inside += 1 }
                if leave >= 0 && input[base + leave] { inside -= 1 }
                rows[base + x] = inside > 0
            }
        }
        var out = [Bool](repeating: false, count: input.count)
        for x in 0..<width {
            var inside = 0
            for y in 0..<min(radius, height) where rows[y * width + x] { inside += 1 }
            for y in 0..<height {
                let enter = y + radius, leave = y - radius - 1
                if enter < height && rows[enter * width + x] { inside += 1 }
                if leave >= 0 && rows[leave * width + x] { inside -= 1 }
                out[y * width + x] = inside > 0
            }
        }
        return out
    }
}
