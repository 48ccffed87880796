import Foundation
import Learning
import Scoring

/// Candidates made without images, for unit tests of features and models:
/// point sources with noise, at random S/N, some on reference stars.
enum SyntheticCandidates {
    static let side = 63

    /// A Gaussian point source of width `sigma` px plus white noise, scaled to `snr`.
    static func pointSource(snr: Double, sigma: Double = 1.3, rng: inout SplitMix64) -> [Float] {
        let c = Double(side / 2)
        return (0..<(side * side)).map { i in
            let x = Double(i % side) - c, y = Double(i / side) - c
            let noise = (rng.nextUnit() - 0.5) * 0.6
            return Float(snr * exp(-(x * x + y * y) / (2 * sigma * sigma)) + noise)
        }
    }

    /// An ordinary candidate.
    static func ordinary(_ rng: inout SplitMix64) -> CandidateInput {
        let snr = 5 + rng.nextUnit() * 45
        let onStar = rng.nextUnit() < 0.3
        return CandidateInput(
            snr: snr, fwhmRatio: 0.9 + rng.nextUnit() * 0.2, elong: 1 + rng.nextUnit() * 0.3, nneg: rng.nextInt(below: 3),
            nbad: 0, sumrat: 0.9 + rng.nextUnit() * 0.1, magdiff: (rng.nextUnit() - 0.5) * 0.2, scorr: snr * 0.95,
            dipole: rng.nextUnit() * 0.1, distnr: onStar ? rng.nextUnit() : .nan, magnr: onStar ? 17 + rng.nextUnit() * 4 : .nan,
            sizenr: onStar ? 1 : .nan, edgeDistance: 50 + rng.nextUnit() * 500, aimagerat: 0.4 + rng.nextUnit() * 0.05,
            bimagerat: 0.38 + rng.nextUnit() * 0.05, isPositive: rng.nextUnit() < 0.8, flags: 0,
            stamp: pointSource(snr: snr, rng: &rng), stampSide: side)
    }

    static func population(_ n: Int, seed: UInt64) -> [CandidateInput] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in ordinary(&rng) }
    }
}
