/// A small, fast, seedable random generator (xoshiro256**), so that simulated
/// nights and test images are the same on every machine for a given seed.
///
/// The state is seeded through SplitMix64, as its authors recommend, so that
/// nearby seeds give unrelated streams.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    /// A spare standard normal from the last Box–Muller pair.
    private var spareNormal: Double?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A generator for a named sub-stream, e.g. one per field or epoch, so
    /// that adding a field does not change the others.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform double in [0, 1).
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A standard normal deviate (Box–Muller, both values used).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u = uniform()
        while u <= .leastNonzeroMagnitude { u = uniform() }
        let v = uniform()
        let r = (-2 * _log(u)).squareRoot()
        let angle = 2 * Double.pi * v
        spareNormal = r * _sin(angle)
        return r * _cos(angle)
    }

    /// A normal deviate with the given mean and standard deviation.
    public mutating func normal(mean: Double, sigma: Double) -> Double {
        mean + sigma * normal()
    }

    /// A Poisson deviate with mean `lambda`: exact (Knuth) below 30, the
    /// normal approximation with continuity correction above, where the
    /// difference is far below the read noise of any camera.
    public mutating func poisson(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 0 }
        if lambda < 30 {
            let limit = _exp(-lambda)
            var k = 0.0
            var p = uniform()
            while p > limit {
                k += 1
                p *= uniform()
            }
            return k
        }
        return max(0, (lambda + lambda.squareRoot() * normal() + 0.5).rounded(.down))
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
private func _log(_ x: Double) -> Double { log(x) }
private func _sin(_ x: Double) -> Double { sin(x) }
private func _cos(_ x: Double) -> Double { cos(x) }
private func _exp(_ x: Double) -> Double { exp(x) }
