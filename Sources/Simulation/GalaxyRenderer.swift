/// The local linear map from reference-pixel offsets to this exposure's
/// pixel offsets at a galaxy, from the two WCSs: `(dx, dy) = J (u, v)`.
/// It carries the exposure's rotation, scale and parity, so a galaxy keeps
/// its shape on the sky in every image.
struct Jacobian: Sendable {
    var dxdu: Double, dxdv: Double, dydu: Double, dydv: Double

    static let identity = Jacobian(dxdu: 1, dxdv: 0, dydu: 0, dydv: 1)

    /// The inverse map, from exposure offsets to reference offsets.
    var inverse: Jacobian {
        let det = dxdu * dydv - dxdv * dydu
        return Jacobian(dxdu: dydv / det, dxdv: -dxdv / det, dydu: -dydu / det, dydv: dxdu / det)
    }

    /// The largest stretch of the map (max of the column norms, >= the true
    /// norm's half), used only to size stamps generously.
    var scale: Double {
        max((dxdu * dxdu + dydu * dydu).squareRoot(), (dxdv * dxdv + dydv * dydv).squareRoot())
    }
}

/// Draws galaxies: the Sérsic profile integrated over each pixel of a stamp,
/// normalised to the galaxy's flux, then convolved with the PSF through a
/// stamp-sized FFT and added to the image.
///
/// The PSF kernel is the Moffat sampled at pixel centres (normalised to sum
/// 1), because the stamp is already pixel-integrated: sampling the galaxy on
/// pixels and the PSF at points gives the image of their pixel-integrated
/// convolution without integrating over the pixel twice.
struct GalaxyRenderer {
    /// The exposure's PSF.
    let psf: MoffatProfile
    /// Radius of the PSF kernel in pixels.
    let kernelRadius: Int
    private var transforms: [Int: StampFFT] = [:]
    private var kernelSpectra: [Int: (real: [Double], imaginary: [Double])] = [:]

    init(psf: MoffatProfile) {
        self.psf = psf
        kernelRadius = max(4, Int((5 * psf.fwhm).rounded(.up)))
    }

    /// Adds a galaxy of `flux` e⁻ whose centre is at array position (`x`, `y`).
    mutating func add(_ profile: SersicProfile, flux: Double, x: Double, y: Double, jacobian: Jacobian,
                      into pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) {
        let reach = Int((profile.extent * jacobian.scale).rounded(.up)) + 1
        let size = StampFFT.size(atLeast: 2 * (reach + kernelRadius) + 1)
        let centreX = Int(x.rounded()), centreY = Int(y.rounded()), middle = size / 2
        let outer = reach + kernelRadius
        guard centreX + outer >= 0, centreX - outer < width, centreY + outer >= 0, centreY - outer < height else { return }
        var real = intrinsicStamp(profile, size: size, reach: reach, phaseX: x - Double(centreX),
                                  phaseY: y - Double(centreY), inverse: jacobian.inverse)
        let total = real.reduce(0, +)
        guard total > 0 else { return }
        var imaginary = [Double](repeating: 0, count: size * size)
        let fft = transform(size)
        fft.transform2D(real: &real, imaginary: &imaginary, inverse: false)
        let kernel = spectrum(size)
        for k in 0..<(size * size) {
            let (a, b) = (real[k], imaginary[k])
            real[k] = a * kernel.real[k] - b * kernel.imaginary[k]
            imaginary[k] = a * kernel.imaginary[k] + b * kernel.real[k]
        }
        fft.transform2D(real: &real, imaginary: &imaginary, inverse: true)
        let scale = flux / total / Double(size * size)
        for j in max(-outer, -centreY)...min(outer, height - 1 - centreY) {
            let row = (middle + j) * size + middle, out = (centreY + j) * width + centreX
            for i in max(-outer, -centreX)...min(outer, width - 1 - centreX) {
                pixels[out + i] += Float(real[row + i] * scale)
            }
        }
    }

    /// The pixel-integrated profile (unnormalised) on a `size`² stamp whose
    /// middle pixel is the galaxy's nearest pixel.
    private func intrinsicStamp(_ profile: SersicProfile, size: Int, reach: Int, phaseX: Double, phaseY: Double,
                                inverse m: Jacobian) -> [Double] {
        var stamp = [Double](repeating: 0, count: size * size)
        let middle = size / 2
        for j in -reach...reach {
            for i in -reach...reach {
                let dx = Double(i) - phaseX, dy = Double(j) - phaseY
                let u = m.dxdu * dx + m.dxdv * dy, v = m.dydu * dx + m.dydv * dy
                let major = profile.cosAngle * u + profile.sinAngle * v
                let minor = (-profile.sinAngle * u + profile.cosAngle * v) / profile.axisRatio
                let n = profile.subsamples(rho: (major * major + minor * minor).squareRoot())
                var sum = 0.0
                for sy in 0..<n {
                    let ey = dy + (Double(sy) + 0.5) / Double(n) - 0.5
                    for sx in 0..<n {
                        let ex = dx + (Double(sx) + 0.5) / Double(n) - 0.5
                        sum += profile.value(u: m.dxdu * ex + m.dxdv * ey, v: m.dydu * ex + m.dydv * ey)
                    }
                }
                stamp[(middle + j) * size + middle + i] = sum / Double(n * n)
            }
        }
        return stamp
    }

    private mutating func transform(_ size: Int) -> StampFFT {
        if let known = transforms[size] { return known }
        let fft = StampFFT(size: size)
        transforms[size] = fft
        return fft
    }

    /// The spectrum of the point-sampled PSF centred on pixel (0, 0) with
    /// wrap-around, so that convolving does not shift the stamp.
    private mutating func spectrum(_ size: Int) -> (real: [Double], imaginary: [Double]) {
        if let known = kernelSpectra[size] { return known }
        var real = [Double](repeating: 0, count: size * size)
        var imaginary = [Double](repeating: 0, count: size * size)
        let r = min(kernelRadius, size / 2 - 1)
        var sum = 0.0
        for j in -r...r {
            for i in -r...r {
                let value = psf.value(r2: Double(i * i + j * j))
                real[((j + size) % size) * size + (i + size) % size] = value
                sum += value
            }
        }
        for k in 0..<real.count { real[k] /= sum }
        transform(size).transform2D(real: &real, imaginary: &imaginary, inverse: false)
        kernelSpectra[size] = (real, imaginary)
        return (real, imaginary)
    }
}
