import Foundation
import Imaging

/// A closed interval `[lower, upper]` of a configuration value, from which the
/// simulator draws. Written in YAML and JSON as a two-element list, e.g.
/// `fwhm: [1.5, 3.5]`; `lower == upper` fixes the value.
public struct ValueRange: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The smallest value drawn.
    public var lower: Double
    /// The largest value drawn.
    public var upper: Double

    /// The interval `[lower, upper]`.
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The middle of the interval.
    public var midpoint: Double { (lower + upper) / 2 }

    public var description: String { "[\(lower), \(upper)]" }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let lower = try container.decode(Double.self)
        let upper = try container.decode(Double.self)
        guard container.isAtEnd else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a range is a list of exactly two numbers [lower, upper]"))
        }
        self.init(lower, upper)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }

    /// Throws naming `key` unless the interval is finite, ordered and inside `allowed`.
    func check(_ key: String, within allowed: ClosedRange<Double>) throws(SimulationError) {
        guard lower.isFinite, upper.isFinite, lower <= upper else {
            throw .configuration(key, "must be [lower, upper] with lower <= upper, got \(self)")
        }
        guard allowed.contains(lower), allowed.contains(upper) else {
            throw .configuration(key, "must lie within [\(allowed.lowerBound), \(allowed.upperBound)], got \(self)")
        }
    }
}

extension SeededRandom {
    /// A uniform draw from `range`.
    mutating func uniform(in range: ValueRange) -> Double {
        uniform(range.lower, range.upper)
    }

    /// A draw whose logarithm is uniform over `range` (both ends > 0), for
    /// scale-free quantities such as S/N or sizes.
    mutating func logUniform(in range: ValueRange) -> Double {
        range.lower * exp(uniform() * log(range.upper / range.lower))
    }

    /// A flux drawn from a truncated power law with cumulative counts
    /// N(>F) ∝ F^-slope between `faint` and `bright` (flux units, faint < bright).
    mutating func powerLaw(faint: Double, bright: Double, slope: Double) -> Double {
        let low = pow(faint, -slope), high = pow(bright, -slope)
        return pow(low - uniform() * (low - high), -1 / slope)
    }

    /// An index in `0..<count`, uniform.
    mutating func index(_ count: Int) -> Int {
        precondition(count > 0, "index from an empty range")
        return Int(next() % UInt64(count))
    }
}


