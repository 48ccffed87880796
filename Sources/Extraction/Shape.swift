import Imaging

/// A candidate's shape from adaptive moments, or NaNs when they do not
/// converge.
struct ShapeMeasurement: Sendable, Equatable {
    /// FWHM of the equivalent Gaussian, pixels.
    var fwhm: Double
    /// Semi-major and semi-minor axes (rms), pixels.
    var a: Double, b: Double
    /// A/B and 1 − B/A.
    var elongation: Double, ellipticity: Double
    /// Position angle of the major axis, degrees from +x.
    var thetaDegrees: Double

    static let unmeasured = ShapeMeasurement(fwhm: .nan, a: .nan, b: .nan, elongation: .nan, ellipticity: .nan,
                                             thetaDegrees: .nan)

    init(fwhm: Double, a: Double, b: Double, elongation: Double, ellipticity: Double, thetaDegrees: Double) {
        self.fwhm = fwhm
        self.a = a
        self.b = b
        self.elongation = elongation
        self.ellipticity = ellipticity
        self.thetaDegrees = thetaDegrees
    }

    init(_ shape: SourceShape) {
        self.init(fwhm: shape.fwhm, a: shape.a, b: shape.b, elongation: shape.elongation,
                  ellipticity: shape.ellipticity, thetaDegrees: shape.thetaDegrees)
    }
}

/// Shapes on sign-adjusted D. Adaptive moments match the window to the
/// source, so a point source measures as P_D whatever its brightness, and
/// the same estimator on P_D itself gives the scale they are compared with.
enum Shape {
    /// The shape of the source at `position` (full-image coordinates).
    static func measure(cutout: Cutout, at position: PixelPoint, psfFWHM: Double) -> ShapeMeasurement {
        guard let shape = AdaptiveMoments.measure(cutout.image, center: cutout.local(position),
                                                  initialSigma: psfFWHM / 2.3548, mask: cutout.mask),
              shape.fwhm > 0, shape.elongation.isFinite else { return .unmeasured }
        return ShapeMeasurement(shape)
    }

    /// FWHM of P_D by adaptive moments on its stamp, so that candidate FWHMs
    /// compare like with like; the half-maximum FWHM if they fail.
    static func differencePSFFWHM(_ psf: PSFModel) -> Double {
        let c = Double(psf.size / 2)
        let guess = psf.fwhm.isFinite && psf.fwhm > 0 ? psf.fwhm : 3
        if let shape = AdaptiveMoments.measure(psf.stamp, center: PixelPoint(x: c, y: c), initialSigma: guess / 2.3548),
           shape.fwhm.isFinite, shape.fwhm > 0 {
            return shape.fwhm
        }
        return guess
    }
}
