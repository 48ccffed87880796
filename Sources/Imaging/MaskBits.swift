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
    /// Within a kernel width of the image edge, where convolutions are unreliable.
    public static let edge = MaskBits(rawValue: 1 << 5)

    /// The empty set: a good pixel.
    public static let good: MaskBits = []

    /// The bits that make a pixel unusable for statistics and fitting.
    public static let unusable: MaskBits = [.saturated, .bad, .cosmicRay, .noData, .trail]
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
    /// pixel that already carries any of `seed`. Grows masks around cosmic
    /// rays, saturated cores and trails.
    public mutating func grow(_ seed: MaskBits, by radius: Int, setting bits: MaskBits) {
        guard radius > 0 else { return }
        let source = self
        let w = width, h = height
        for y in 0..<h {
            for x in 0..<w where !source[x, y].isDisjoint(with: seed) {
                for yy in max(0, y - radius)...min(h - 1, y + radius) {
                    for xx in max(0, x - radius)...min(w - 1, x + radius) {
                        self[xx, yy].formUnion(bits)
                    }
                }
            }
        }
    }
}
