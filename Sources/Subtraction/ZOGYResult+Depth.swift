import Foundation
import Imaging

extension ZOGYResult {
    /// The 1σ flux error of a point source on a typical clean pixel of the
    /// difference, in reference flux units (those of a candidate's flux).
    ///
    /// ZOGY's error is √V_S / F_S (eq. 42); when S_corr was normalized the
    /// real noise is ``scoreNormalization`` times larger, and detection is
    /// on the normalized S_corr, so that factor is included. The median runs
    /// over unmasked pixels on a grid of every `stride`-th pixel; NaN when
    /// none is usable.
    public func pointSourceFluxError(stride: Int = 4) -> Double {
        precondition(stride >= 1, "stride must be at least 1, got \(stride)")
        var errors: [Float] = []
        errors.reserveCapacity((scoreVariance.width / stride + 1) * (scoreVariance.height / stride + 1))
        for y in Swift.stride(from: 0, to: scoreVariance.height, by: stride) {
            for x in Swift.stride(from: 0, to: scoreVariance.width, by: stride) {
                let i = y * scoreVariance.width + x
                let v = scoreVariance.pixels[i]
                if mask.pixels[i].isEmpty, v.isFinite, v > 0 { errors.append(v.squareRoot()) }
            }
        }
        guard !errors.isEmpty, fluxScale.isFinite, fluxScale > 0 else { return .nan }
        errors.sort()
        let median = Double(errors[errors.count / 2])
        return median * max(1, scoreNormalization) / fluxScale
    }

    /// The magnitude of a point source detected at `sigma` σ when its 1σ
    /// flux error is `fluxError` (from ``pointSourceFluxError(stride:)``):
    /// the image's depth. Nil without a zero point or a usable error.
    public static func limitingMagnitude(fluxError: Double, zeroPoint: Double?, sigma: Double = 5) -> Double? {
        guard let zeroPoint, fluxError.isFinite, fluxError > 0 else { return nil }
        return zeroPoint - 2.5 * log10(sigma * fluxError)
    }
}
