/// The photometric and noise model of one exposure: how a flux above the
/// atmosphere becomes electrons, where the sky lies, and how noisy a pixel is.
///
/// Pixels are counted in electrons while an image is rendered and divided by
/// the gain at the end. A pixel's variance is its expected electrons
/// (Poisson) plus `reads` × read noise²; the deep reference is the sum of
/// `reads` exposures, so its saturation level is `reads` × `SATURATE` of one.
struct NoiseModel: Sendable {
    /// Exposure time × transparency: e⁻ per (e⁻/s above the atmosphere).
    let throughput: Double
    /// Gain, e⁻ per ADU.
    let gain: Double
    /// Read-noise variance of the image, e⁻² (`reads` × read noise²).
    let readVariance: Double
    /// Full well of the image in e⁻: saturation (ADU) × gain × reads.
    let fullWell: Double
    /// Saturation level of the image in ADU (`SATURATE`).
    let saturation: Double
    /// Mean sky, e⁻ per pixel.
    let sky: Double
    private let gradientX: Double, gradientY: Double
    private let width: Double, height: Double

    init(exposure: ExposurePlan, configuration c: NightConfiguration) {
        throughput = exposure.exposureTime * exposure.transparency
        gain = c.camera.gain
        readVariance = Double(exposure.reads) * c.camera.readNoise * c.camera.readNoise
        saturation = c.camera.saturation * Double(exposure.reads)
        fullWell = saturation * gain
        sky = exposure.sky
        gradientX = exposure.skyGradientX
        gradientY = exposure.skyGradientY
        width = Double(c.width)
        height = Double(c.height)
    }

    /// Electrons collected from a source of `rate` e⁻/s above the atmosphere.
    @inline(__always) func electrons(rate: Double) -> Double { rate * throughput }

    /// ADU in this image for a source of `rate` e⁻/s above the atmosphere.
    @inline(__always) func adu(rate: Double) -> Double { rate * throughput / gain }

    /// The sky in e⁻ at array position (`x`, `y`): the mean plus a linear
    /// gradient that changes it by `gradientX` (`gradientY`) from the first
    /// to the last column (row).
    @inline(__always) func sky(x: Double, y: Double) -> Double {
        sky * (1 + gradientX * (x / (width - 1) - 0.5) + gradientY * (y / (height - 1) - 0.5))
    }

    /// The background (sky + read) variance of a pixel at (`x`, `y`), ADU².
    func backgroundVariance(x: Double, y: Double) -> Double {
        (sky(x: x, y: y) + readVariance) / (gain * gain)
    }

    /// The mean background noise of a pixel, e⁻.
    var backgroundSigma: Double { (sky + readVariance).squareRoot() }
}
