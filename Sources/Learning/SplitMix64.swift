/// A seeded 64-bit pseudo-random generator (the SplitMix64 mixer of Steele, Lea & Flood, 2014).
///
/// Why our own generator: `SystemRandomNumberGenerator` cannot be seeded, and the standard
/// library's helpers (`Double.random(in:using:)`, `Int.random(in:using:)`) are free to change how
/// many words they draw between Swift releases. Every fitted model in `Learning` must be
/// reproducible bit for bit on any platform, so all its randomness goes through this type and
/// the helpers below, which depend only on `next()` and integer arithmetic.
///
/// A value type: copying it forks the stream, and each copy then yields the same sequence.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The internal counter; the next output is a pure function of it.
    public private(set) var state: UInt64

    /// Starts the stream at `seed`. Any value, zero included, is a valid seed.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in [0, 1), on a grid of 2⁻⁵³; draws exactly one word.
    ///
    /// The top 53 bits fill the significand exactly, so the result never rounds up to 1.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound`; `bound` must be positive.
    ///
    /// Unbiased by rejection: words below `2⁶⁴ mod bound` are redrawn, so every residue has the
    /// same number of preimages. The expected number of draws is below 2 for any bound.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "SplitMix64.nextInt(below:) needs a positive bound")
        let b = UInt64(bound)
        let threshold = (0 &- b) % b
        while true {
            let r = next()
            if r >= threshold { return Int(r % b) }
        }
    }

    /// A uniform integer in `range`, which must not be empty.
    public mutating func nextInt(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "SplitMix64.nextInt(in:) needs a non-empty range")
        return range.lowerBound + nextInt(below: range.count)
    }

    /// A uniform integer in `range`, bounds included; the range must fit in `Int`'s count.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }
}
