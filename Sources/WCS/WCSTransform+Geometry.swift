#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension WCSTransform {
    /// The scale at FITS pixel (`x`, `y`) (1-based) in arcseconds per pixel,
    /// from the sky area the pixel covers, so it includes projection and
    /// distortion (SIP, TPV) effects. Costs one conversion of four points.
    ///
    /// Works at any declination: the area comes from 3-D unit vectors rather
    /// than RA/Dec differences, which misbehave at the poles and RA = 0.
    public func localPixelScale(x: Double, y: Double) throws(WCSError) -> Double {
        let corners = try pixelToSky(xs: [x - 0.5, x + 0.5, x, x], ys: [y, y, y - 0.5, y + 0.5])
        guard corners.allSatisfy(\.isValid) else {
            throw WCSError.conversionFailed(
                "pixel (\(x), \(y)) is too close to the edge of the projection to measure its scale",
                fileName: fileName)
        }
        let vectors = corners.map(unitVector)
        let alongX = subtract(vectors[1], vectors[0])
        let alongY = subtract(vectors[3], vectors[2])
        let area = norm(cross(alongX, alongY))
        return area.squareRoot() * 180 / Double.pi * 3600
    }

    /// The sky position of the image centre, FITS pixel
    /// `((width + 1) / 2, (height + 1) / 2)`, for an image of `width` x
    /// `height` pixels (`NAXIS1` x `NAXIS2`).
    public func center(width: Int, height: Int) throws(WCSError) -> SkyPosition {
        try pixelToSky(x: Double(width + 1) / 2, y: Double(height + 1) / 2)
    }

    /// The sky region covered by an image of `width` x `height` pixels
    /// (`NAXIS1` x `NAXIS2`) with this WCS.
    /// - Throws: ``WCSError/conversionFailed`` when a corner is outside the
    ///   projection.
    public func footprint(width: Int, height: Int) throws(WCSError) -> Footprint {
        precondition(width > 0 && height > 0, "footprint of an empty image \(width)x\(height)")
        let w = Double(width), h = Double(height)
        let corners = try pixelToSky(xs: [1, w, w, 1], ys: [1, 1, h, h])
        if let bad = corners.firstIndex(where: { !$0.isValid }) {
            throw WCSError.conversionFailed(
                "corner \(bad + 1) of the \(width)x\(height) image is outside the projection",
                fileName: fileName)
        }
        return Footprint(transform: self, width: width, height: height, corners: corners)
    }
}

/// A point on the unit sphere for (ra, dec) in degrees.
func unitVector(_ position: SkyPosition) -> SIMD3<Double> {
    let radians = Double.pi / 180
    let ra = position.ra * radians, dec = position.dec * radians
    return SIMD3(cos(dec) * cos(ra), cos(dec) * sin(ra), sin(dec))
}

private func subtract(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> { a - b }

private func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

private func norm(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }
