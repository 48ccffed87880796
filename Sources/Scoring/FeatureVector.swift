import Extraction
import Foundation

/// A candidate's feature vector, column by column as `docs/features.md`
/// documents it: the measured features (``measuredNames``), mapped to
/// scales where differences mean something, then the normalized difference
/// stamp `f_0`…`f_1023` (``stampNames``).
///
/// Every value is finite: a feature that was not measured takes the value
/// that means "nothing there" (no reference source → the search radius), so
/// the models downstream never see NaN.
public enum FeatureVector {
    /// Side of the normalized stamp, pixels.
    public static let stampSide = 32
    /// The measured features, in order.
    public static let measuredNames = [
        "log_snr", "fwhm_ratio", "elong", "nneg", "nbad", "sumrat", "magdiff", "log_abs_scorr", "dipole", "distnr",
        "magnr", "sizenr", "edge_distance", "aimagerat", "bimagerat", "is_positive", "flag_bad", "flag_blended",
        "flag_near_bright_star", "stamp_concentration", "stamp_asymmetry", "stamp_negative_fraction",
    ]
    /// `f_0` … `f_1023`, row-major from the stamp's first row.
    public static let stampNames = (0..<(stampSide * stampSide)).map { "f_\($0)" }
    /// All columns: measured, then stamp.
    public static let names = measuredNames + stampNames

    /// The measured part.
    public static func measured(_ c: CandidateInput) -> [Double] {
        measured(c, stamp: stamp(c))
    }

    /// The measured part, given the candidate's normalized stamp.
    public static func measured(_ c: CandidateInput, stamp: [Double]) -> [Double] {
        func or(_ v: Double, _ fallback: Double) -> Double { v.isFinite ? v : fallback }
        let flags = CandidateFlags(rawValue: c.flags)
        let shape = StampShape(stamp)
        return [
            log10(max(or(abs(c.snr), 1), 1)),
            min(max(or(c.fwhmRatio, 1), 0), 5),
            min(max(or(c.elong, 1), 1), 5),
            Double(c.nneg), Double(c.nbad),
            min(max(or(c.sumrat, 0), -1), 1),
            min(max(or(c.magdiff, 0), -3), 3),
            log10(max(or(abs(c.scorr), 1), 1)),
            min(max(or(c.dipole, 0), 0), 1),
            min(or(c.distnr, 30), 30),
            min(max(or(c.magnr, 25), 10), 25),
            min(max(or(c.sizenr, 0), 0), 10),
            min(max(or(c.edgeDistance, 100), 0), 100),
            min(max(or(c.aimagerat, 0.4), 0), 5),
            min(max(or(c.bimagerat, 0.4), 0), 5),
            c.isPositive ? 1 : 0,
            flags.isDisjoint(with: [.badPixels, .edge, .saturated]) ? 0 : 1,
            flags.contains(.blended) ? 1 : 0,
            flags.contains(.nearBrightStar) ? 1 : 0,
            shape.concentration, shape.asymmetry, shape.negativeFraction,
        ]
    }

    /// The normalized stamp: the central 32×32 of the difference stamp
    /// (its centre pixel at (16, 16)), sign-adjusted so a fading source
    /// looks like a brightening one, NaN set to 0, divided by its rms so it
    /// carries shape, not brightness (log_snr carries brightness).
    public static func stamp(_ c: CandidateInput) -> [Double] {
        let n = stampSide, half = n / 2, centre = c.stampSide / 2
        let sign: Double = c.isPositive ? 1 : -1
        var out = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            let y = centre - half + row
            guard y >= 0, y < c.stampSide else { continue }
            for column in 0..<n {
                let x = centre - half + column
                guard x >= 0, x < c.stampSide else { continue }
                let v = Double(c.stamp[y * c.stampSide + x])
                out[row * n + column] = v.isFinite ? sign * v : 0
            }
        }
        let rms = (out.reduce(0) { $0 + $1 * $1 } / Double(out.count)).squareRoot()
        return rms > 0 ? out.map { $0 / rms } : out
    }

    /// The whole vector: measured then stamp.
    public static func values(_ c: CandidateInput) -> [Double] {
        let s = stamp(c)
        return measured(c, stamp: s) + s
    }

    /// Per-column weights for the embedding's PCA (applied after each column
    /// is standardized): 1 for each measured feature, and √(m/1024) for each
    /// stamp pixel, so the stamp as a whole weighs as much as the m measured
    /// features together instead of fifty times more.
    public static var embeddingWeights: [Double] {
        let pixel = (Double(measuredNames.count) / Double(stampNames.count)).squareRoot()
        return [Double](repeating: 1, count: measuredNames.count) + [Double](repeating: pixel, count: stampNames.count)
    }
}

/// Three shape figures of a normalized stamp that the measured features do
/// not capture: how concentrated, how point-symmetric, how negative.
struct StampShape {
    /// Σ|f| in the central 5×5 over Σ|f| in the stamp: high for a PSF,
    /// higher for a cosmic ray, low for a trail or a broad residual.
    var concentration = 0.0
    /// ‖f − f rotated 180°‖ / (2‖f‖) over the 31×31 symmetric about the
    /// centre: 0 for a round source, near 1 for a dipole or a one-sided streak.
    var asymmetry = 0.0
    /// Σ max(−f, 0) / Σ|f| in the central 11×11: the share of negative flux.
    var negativeFraction = 0.0

    init(_ f: [Double]) {
        let n = FeatureVector.stampSide, c = n / 2
        var total = 0.0, central = 0.0, negative = 0.0, near = 0.0, difference = 0.0, norm = 0.0
        for y in 1..<n {
            for x in 1..<n {
                let v = f[y * n + x]
                total += abs(v)
                if abs(y - c) <= 2 && abs(x - c) <= 2 { central += abs(v) }
                if abs(y - c) <= 5 && abs(x - c) <= 5 { near += abs(v); negative += max(-v, 0) }
                let mirrored = f[(2 * c - y) * n + (2 * c - x)]
                difference += (v - mirrored) * (v - mirrored)
                norm += v * v
            }
        }
        guard total > 0 else { return }
        concentration = central / total
        asymmetry = min(difference.squareRoot() / (2 * norm.squareRoot()), 1)
        negativeFraction = near > 0 ? negative / near : 0
    }
}
