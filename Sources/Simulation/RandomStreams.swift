import Imaging

/// The independent random streams of a night. Every draw comes from the
/// stream of what it is about, so adding a field, an epoch or a reference
/// exposure changes nothing that was drawn for the others, and drawing more
/// of one thing (say, cosmic rays) leaves the rest (say, the noise) alone.
enum RandomStream {
    /// What a stream is for; the raw value is part of the stream number.
    enum Purpose: UInt64 {
        case fieldLayout = 1, stars, galaxies, variables, transients, moving
        case conditions = 16, noise, cosmicRays
        case schedule = 8
        case detector = 32
    }

    /// Which image of a field an exposure stream belongs to.
    enum Image {
        case science(epoch: Int)
        case reference
        case referenceExposure(Int)

        var code: UInt64 {
            switch self {
            case .science(let epoch): UInt64(epoch + 1)
            case .reference: 0x10_0000
            case .referenceExposure(let index): 0x10_0000 + UInt64(index)
            }
        }
    }

    /// A stream for one field, independent of every other field's.
    static func field(_ field: Int, _ purpose: Purpose, seed: UInt64) -> SeededRandom {
        SeededRandom(seed: seed, stream: (UInt64(field + 1) << 40) | purpose.rawValue)
    }

    /// A stream for one image of one field.
    static func image(_ field: Int, _ image: Image, _ purpose: Purpose, seed: UInt64) -> SeededRandom {
        SeededRandom(seed: seed, stream: (UInt64(field + 1) << 40) | (image.code << 8) | purpose.rawValue)
    }

    /// The stream of the camera itself (hot pixels, bad column), shared by all fields.
    static func detector(seed: UInt64) -> SeededRandom {
        SeededRandom(seed: seed, stream: Purpose.detector.rawValue)
    }
}
