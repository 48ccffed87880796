import CWCSLIB

/// What to add to a 0-based array coordinate to get the 1-based FITS one.
/// `Pixels` owns the convention (`arrayToFITS`/`fitsToArray`); this module may
/// not depend on it, so the same rule is restated once here and used only
/// through the `array...` methods below.
private let arrayToFITSOffset = 1.0

extension WCSTransform {
    // MARK: FITS (1-based) pixel coordinates

    /// The sky position of the FITS pixel position (`x`, `y`) (1-based: the
    /// centre of the first pixel is (1, 1)), with distortion (SIP, TPV) applied.
    /// - Returns: RA in `[0, 360)` and Dec, in degrees.
    /// - Throws: ``WCSError/conversionFailed`` with WCSLIB's message when the
    ///   point is outside the projection's domain.
    public func pixelToSky(x: Double, y: Double) throws(WCSError) -> SkyPosition {
        try pixelsToSky(xs: [x], ys: [y], offset: 0, strict: true)[0]
    }

    /// The FITS pixel position (1-based) of a sky position given in degrees.
    /// - Throws: ``WCSError/conversionFailed`` with WCSLIB's message when the
    ///   position cannot be projected (e.g. more than 90 degrees from the
    ///   tangent point of a TAN projection).
    public func skyToPixel(ra: Double, dec: Double) throws(WCSError) -> (x: Double, y: Double) {
        let pixels = try skyToPixels(ras: [ra], decs: [dec], offset: 0, strict: true)
        return (pixels.xs[0], pixels.ys[0])
    }

    /// Converts many FITS pixel positions (1-based) in one WCSLIB call, much
    /// faster than one call per point.
    /// - Parameters:
    ///   - xs: Column coordinates; must have as many elements as `ys`.
    ///   - ys: Row coordinates.
    /// - Returns: One position per input, RA in `[0, 360)` and Dec in degrees.
    ///   A point WCSLIB cannot convert gives a position with NaN coordinates
    ///   (``SkyPosition/isValid`` is false) instead of failing the whole batch.
    /// - Throws: ``WCSError/conversionFailed`` only for failures that are not
    ///   about individual points.
    public func pixelToSky(xs: [Double], ys: [Double]) throws(WCSError) -> [SkyPosition] {
        try pixelsToSky(xs: xs, ys: ys, offset: 0, strict: false)
    }

    /// Converts many sky positions (degrees) to FITS pixel positions (1-based)
    /// in one WCSLIB call. `ras` and `decs` must have equal length.
    /// - Returns: Pixel coordinates in input order; a position that cannot be
    ///   projected gives NaN for both of its coordinates.
    public func skyToPixel(ras: [Double], decs: [Double]) throws(WCSError) -> (xs: [Double], ys: [Double]) {
        try skyToPixels(ras: ras, decs: decs, offset: 0, strict: false)
    }

    // MARK: Array (0-based) pixel coordinates

    /// ``pixelToSky(x:y:)`` for a 0-based array position, as used by
    /// `Pixels.Image` (first pixel centre at (0, 0)).
    public func pixelToSky(arrayX: Double, arrayY: Double) throws(WCSError) -> SkyPosition {
        try pixelsToSky(xs: [arrayX], ys: [arrayY], offset: arrayToFITSOffset, strict: true)[0]
    }

    /// ``skyToPixel(ra:dec:)`` returning a 0-based array position, as used by
    /// `Pixels.Image` (first pixel centre at (0, 0)).
    public func skyToArrayPixel(ra: Double, dec: Double) throws(WCSError) -> (x: Double, y: Double) {
        let pixels = try skyToPixels(ras: [ra], decs: [dec], offset: arrayToFITSOffset, strict: true)
        return (pixels.xs[0], pixels.ys[0])
    }

    /// ``pixelToSky(xs:ys:)`` for 0-based array positions; invalid points give NaN.
    public func pixelToSky(arrayXs: [Double], arrayYs: [Double]) throws(WCSError) -> [SkyPosition] {
        try pixelsToSky(xs: arrayXs, ys: arrayYs, offset: arrayToFITSOffset, strict: false)
    }

    /// ``skyToPixel(ras:decs:)`` returning 0-based array positions; positions
    /// that cannot be projected give NaN.
    public func skyToArrayPixel(ras: [Double], decs: [Double]) throws(WCSError) -> (xs: [Double], ys: [Double]) {
        try skyToPixels(ras: ras, decs: decs, offset: arrayToFITSOffset, strict: false)
    }

    // MARK: The two WCSLIB calls

    /// Pixel to sky for all points in one `wcsp2s` call. `offset` is added to
    /// every pixel coordinate to make it 1-based. With `strict`, any invalid
    /// point throws WCSLIB's message; otherwise invalid points become NaN.
    private func pixelsToSky(xs: [Double], ys: [Double], offset: Double,
                             strict: Bool) throws(WCSError) -> [SkyPosition] {
        precondition(xs.count == ys.count, "pixelToSky: \(xs.count) xs but \(ys.count) ys")
        let count = xs.count, axes = axisCount
        guard count > 0 else { return [] }
        precondition(count <= Int(Int32.max) / axes, "pixelToSky: too many points (\(count))")
        // WCSLIB takes one row of `axes` values per point; pixel axes beyond
        // the first two (e.g. a degenerate NAXIS3 = 1) sit on their first pixel.
        var pixcrd = [Double](repeating: 1, count: count * axes)
        for index in 0..<count {
            pixcrd[index * axes] = xs[index] + offset
            pixcrd[index * axes + 1] = ys[index] + offset
        }
        let (world, stat) = try withWCS { (wcs) throws(WCSError) in
            var imgcrd = [Double](repeating: 0, count: count * axes)
            var phi = [Double](repeating: 0, count: count)
            var theta = [Double](repeating: 0, count: count)
            var world = [Double](repeating: 0, count: count * axes)
            var stat = [Int32](repeating: 0, count: count)
            let status = wcsp2s(wcs, Int32(count), Int32(axes), pixcrd, &imgcrd, &phi, &theta, &world, &stat)
            if strict || status != Int32(WCSERR_BAD_PIX.rawValue) {
                try WCSError.check(status, from: .wcsp2s, detail: wcs.pointee.err, fileName: fileName)
            }
            return (world, stat)
        }
        let lng = longitudeAxis, lat = latitudeAxis
        let positions = (0..<count).map { index in
            guard stat[index] == 0 else { return SkyPosition(ra: .nan, dec: .nan) }
            return SkyPosition(ra: SkyPosition.normalizedRA(world[index * axes + lng]),
                               dec: world[index * axes + lat])
        }
        // WCSLIB reports NaN input, and some degenerate set-ups, as success.
        if strict, let bad = positions.firstIndex(where: { !$0.isValid }) {
            throw WCSError.conversionFailed(
                "pixel (\(xs[bad] + offset), \(ys[bad] + offset)) has no finite sky position", fileName: fileName)
        }
        return positions
    }

    /// Sky to pixel for all points in one `wcss2p` call; `offset` is
    /// subtracted from the 1-based result. `strict` as in `pixelsToSky`.
    private func skyToPixels(ras: [Double], decs: [Double], offset: Double,
                             strict: Bool) throws(WCSError) -> (xs: [Double], ys: [Double]) {
        precondition(ras.count == decs.count, "skyToPixel: \(ras.count) ras but \(decs.count) decs")
        let count = ras.count, axes = axisCount
        guard count > 0 else { return ([], []) }
        precondition(count <= Int(Int32.max) / axes, "skyToPixel: too many points (\(count))")
        // Non-celestial world axes, if any, are held at their reference value.
        var world = [Double](repeating: 0, count: count * axes)
        for index in 0..<count {
            for axis in 0..<axes { world[index * axes + axis] = crval[axis] }
            world[index * axes + longitudeAxis] = ras[index]
            world[index * axes + latitudeAxis] = decs[index]
        }
        let (pixcrd, stat) = try withWCS { (wcs) throws(WCSError) in
            var phi = [Double](repeating: 0, count: count)
            var theta = [Double](repeating: 0, count: count)
            var imgcrd = [Double](repeating: 0, count: count * axes)
            var pixcrd = [Double](repeating: 0, count: count * axes)
            var stat = [Int32](repeating: 0, count: count)
            let status = wcss2p(wcs, Int32(count), Int32(axes), world, &phi, &theta, &imgcrd, &pixcrd, &stat)
            if strict || status != Int32(WCSERR_BAD_WORLD.rawValue) {
                try WCSError.check(status, from: .wcss2p, detail: wcs.pointee.err, fileName: fileName)
            }
            return (pixcrd, stat)
        }
        var xs = [Double](repeating: .nan, count: count)
        var ys = [Double](repeating: .nan, count: count)
        for index in 0..<count where stat[index] == 0 {
            xs[index] = pixcrd[index * axes] - offset
            ys[index] = pixcrd[index * axes + 1] - offset
        }
        if strict, let bad = xs.indices.first(where: { !xs[$0].isFinite || !ys[$0].isFinite }) {
            throw WCSError.conversionFailed(
                "sky position (\(ras[bad]), \(decs[bad])) has no finite pixel position", fileName: fileName)
        }
        return (xs, ys)
    }
}
