#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parameters of a plain gnomonic (TAN) WCS with a CD matrix, for images
/// we create ourselves: simulated frames and difference images.
///
/// Produces header cards with ``headerCards()``; build a transform from it
/// with ``WCSTransform/init(_:fileName:)``.
public struct TangentPlaneWCS: Sendable, Hashable {
    /// `CRPIX1`: reference pixel column, FITS (1-based) coordinates.
    public var crpix1: Double
    /// `CRPIX2`: reference pixel row, FITS (1-based) coordinates.
    public var crpix2: Double
    /// `CRVAL1`, `CRVAL2`: the sky position of the reference pixel, degrees.
    public var crval: SkyPosition
    /// `CD1_1`, degrees per pixel.
    public var cd11: Double
    /// `CD1_2`, degrees per pixel.
    public var cd12: Double
    /// `CD2_1`, degrees per pixel.
    public var cd21: Double
    /// `CD2_2`, degrees per pixel.
    public var cd22: Double

    /// A TAN WCS from its FITS parameters: reference pixel (FITS, 1-based),
    /// reference sky position (degrees) and CD matrix (degrees per pixel).
    public init(crpix1: Double, crpix2: Double, crval: SkyPosition,
                cd11: Double, cd12: Double, cd21: Double, cd22: Double) {
        self.crpix1 = crpix1
        self.crpix2 = crpix2
        self.crval = crval
        self.cd11 = cd11
        self.cd12 = cd12
        self.cd21 = cd21
        self.cd22 = cd22
    }

    /// A TAN WCS with square pixels and the usual orientation: with
    /// `rotation` 0, north is up (+y) and east is left (-x).
    ///
    /// - Parameters:
    ///   - crpix1: Reference pixel column, FITS (1-based).
    ///   - crpix2: Reference pixel row, FITS (1-based).
    ///   - crval: Sky position of the reference pixel, degrees.
    ///   - pixelScale: Arcseconds per pixel, positive.
    ///   - rotation: Degrees, meaning what AIPS `CROTA2` means (WCS Paper II,
    ///     eq. 188): north points along pixel direction `(-sin r, cos r)`, i.e.
    ///     it is turned from +y towards -x (counterclockwise with x right and
    ///     y up), and east stays 90 degrees counterclockwise from north.
    public init(crpix1: Double, crpix2: Double, crval: SkyPosition,
                pixelScale: Double, rotation: Double = 0) {
        precondition(pixelScale > 0, "pixel scale must be positive, got \(pixelScale)")
        let scale = pixelScale / 3600
        let angle = rotation * Double.pi / 180
        // CDELT1 = -scale, CDELT2 = +scale, rotated by CROTA2 (Paper II eq. 188).
        self.init(crpix1: crpix1, crpix2: crpix2, crval: crval,
                  cd11: -scale * cos(angle), cd12: -scale * sin(angle),
                  cd21: -scale * sin(angle), cd22: scale * cos(angle))
    }

    /// The WCS as FITS header cards: `WCSAXES`, `CTYPEi` (`RA---TAN`,
    /// `DEC--TAN`), `CUNITi`, `RADESYS` (ICRS), `CRPIXi`, `CRVALi`, `CDi_j`.
    ///
    /// Returns concatenated 80-character cards without an `END` card, ready to
    /// append to a header or to pass to ``WCSTransform/init(header:fileName:)``.
    /// Values are written with full `Double` precision.
    public func headerCards() -> String {
        [
            FITSCard.integer("WCSAXES", 2, "number of WCS axes"),
            FITSCard.string("CTYPE1", "RA---TAN", "gnomonic projection"),
            FITSCard.string("CTYPE2", "DEC--TAN", "gnomonic projection"),
            FITSCard.string("CUNIT1", "deg", "unit of CRVAL1 and CD1_j"),
            FITSCard.string("CUNIT2", "deg", "unit of CRVAL2 and CD2_j"),
            FITSCard.string("RADESYS", "ICRS", "celestial reference frame"),
            FITSCard.real("CRPIX1", crpix1, "reference pixel, axis 1"),
            FITSCard.real("CRPIX2", crpix2, "reference pixel, axis 2"),
            FITSCard.real("CRVAL1", crval.ra, "[deg] RA at the reference pixel"),
            FITSCard.real("CRVAL2", crval.dec, "[deg] Dec at the reference pixel"),
            FITSCard.real("CD1_1", cd11, "[deg/pixel] linear transformation"),
            FITSCard.real("CD1_2", cd12, "[deg/pixel] linear transformation"),
            FITSCard.real("CD2_1", cd21, "[deg/pixel] linear transformation"),
            FITSCard.real("CD2_2", cd22, "[deg/pixel] linear transformation"),
        ].joined()
    }
}

extension WCSTransform {
    /// A transform for a plain TAN WCS given by its parameters, by way of the
    /// same header parsing real images go through.
    public convenience init(_ parameters: TangentPlaneWCS, fileName: String? = nil) throws(WCSError) {
        try self.init(header: parameters.headerCards(), fileName: fileName)
    }
}
