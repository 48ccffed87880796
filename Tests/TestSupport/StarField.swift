import Foundation
import Imaging

/// A synthetic star field for imaging tests: Moffat stars at known sub-pixel
/// positions on a flat sky with Gaussian noise, background already
/// subtracted. Positions are 0-based array coordinates; fluxes in ADU.
public struct StarField: Sendable {
    public var image: Image<Float>
    public var rms: Image<Float>
    public var truth: [(x: Double, y: Double, flux: Double)]

    /// `count` stars with power-law fluxes (2e3–2e5) at random positions.
    public static func make(width: Int = 256, height: Int = 256, count: Int = 120, fwhm: Double = 3, beta: Double = 3,
                     noise: Double = 10, seed: UInt64 = 1) -> StarField {
        var random = SeededRandom(seed: seed)
        var truth: [(x: Double, y: Double, flux: Double)] = []
        for _ in 0..<count {
            let x = random.uniform(12, Double(width - 12)), y = random.uniform(12, Double(height - 12))
            // Power-law fluxes between 2e3 and 2e5.
            truth.append((x, y, 2_000 * pow(100, random.uniform())))
        }
        return render(truth, width: width, height: height, fwhm: fwhm, beta: beta, noise: noise, seed: seed &+ 99)
    }

    /// Renders the given stars with a Moffat PSF plus Gaussian noise.
    public static func render(_ truth: [(x: Double, y: Double, flux: Double)], width: Int, height: Int, fwhm: Double,
                       beta: Double = 3, noise: Double, seed: UInt64) -> StarField {
        var random = SeededRandom(seed: seed)
        var image = Image<Float>(width: width, height: height, repeating: 0)
        for star in truth {
            let psf = PSFModel.moffat(fwhm: fwhm, beta: beta, size: 31,
                                      offset: PixelPoint(x: star.x - star.x.rounded(), y: star.y - star.y.rounded()))
            let cx = Int(star.x.rounded()), cy = Int(star.y.rounded())
            for j in 0..<31 {
                for i in 0..<31 {
                    let xx = cx + i - 15, yy = cy + j - 15
                    if image.contains(x: xx, y: yy) { image[xx, yy] += Float(star.flux) * psf.stamp[i, j] }
                }
            }
        }
        for i in 0..<image.count { image.pixels[i] += Float(random.normal(mean: 0, sigma: noise)) }
        return StarField(image: image, rms: Image(width: width, height: height, repeating: Float(noise)),
                         truth: truth)
    }
}
