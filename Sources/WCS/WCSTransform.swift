import CWCSLIB
import Synchronization

/// The celestial world coordinate system of one image: converts between pixel
/// positions and sky positions with WCSLIB.
///
/// Built from the image's FITS header text. Handles TAN with a CD matrix,
/// PC + CDELT, or legacy CROTA2 + CDELT; SIP distortion (`RA---TAN-SIP` with
/// `A_p_q`/`B_p_q`, and `AP_p_q`/`BP_p_q` when present) and TPV (`RA---TPV`
/// with `PVi_m`), which WCSLIB applies as distortion functions; and any other
/// projection WCSLIB knows.
///
/// ## Pixel coordinates
/// Methods without a prefix take and return FITS pixel coordinates, 1-based:
/// the centre of the first pixel is (1, 1), as in WCSLIB, DS9 and astropy's
/// `origin=1`. Methods whose labels say `array` use the 0-based array
/// convention of `Pixels.Image` (first pixel centre at (0, 0)). `x` is along
/// FITS axis 1 (columns), `y` along axis 2 (rows); these first two pixel
/// axes are taken to be the image plane, and any further pixel axis (e.g. a
/// degenerate `NAXIS3 = 1`) is held at its first pixel.
///
/// ## Ownership and threads
/// The transform owns WCSLIB's `wcsprm` (allocated by `wcspih`) and frees it
/// when the last reference goes away. WCSLIB writes into that struct even while
/// converting, so every WCSLIB call happens inside a mutex; the class is
/// Sendable without `@unchecked` because the struct is reachable only through
/// the mutex. Conversions on one transform are serialized; separate transforms
/// run in parallel. Cached properties (``crval``, ``cdMatrix``, ...) read no
/// WCSLIB state and need no lock.
public final class WCSTransform: Sendable {
    /// The WCSLIB state; only touched through ``withWCS(_:)``.
    private let state: Mutex<WCSLIBHandle>
    /// The file the header came from, used in error messages; nil if not given.
    public let fileName: String?
    /// The number of WCS axes (`WCSAXES`, or `NAXIS`); 2 for ordinary images.
    public let axisCount: Int
    /// The index (0-based) of the longitude (RA) axis among the world axes.
    let longitudeAxis: Int
    /// The index (0-based) of the latitude (Dec) axis among the world axes.
    let latitudeAxis: Int
    /// `CRVALi`, one per axis, in degrees for the celestial axes.
    public let crval: [Double]
    /// `CRPIXj`, one per axis, in FITS (1-based) pixel coordinates.
    public let crpix: [Double]
    /// `CTYPEi`, one per axis, as the header declared them (e.g. `RA---TAN`,
    /// `RA---TAN-SIP`, `RA---TPV`), trailing blanks removed; WCSLIB's internal
    /// rewrites (TPV computed as TAN plus a distortion, AIPS `NCP` as `SIN`)
    /// do not show here.
    public let ctype: [String]
    /// The linear transformation in CD form, `cdMatrix[i][j]` = `CD(i+1)_(j+1)`
    /// in degrees per pixel: `CDELTi * PCi_j`, whichever form the header used.
    /// Excludes SIP/TPV distortion.
    public let cdMatrix: [[Double]]
    /// The pixel scale at the reference pixel in arcseconds per pixel:
    /// `sqrt(|det CD|)` of the celestial part of the linear transformation.
    ///
    /// Excludes distortion, so for SIP and TPV it is the nominal scale; use
    /// ``localPixelScale(x:y:)`` for the true scale at a given pixel.
    public let pixelScale: Double
    /// Things WCSLIB reported that did not stop the transform from being
    /// built, e.g. inconsistent `DATE-OBS`/`MJD-OBS` or rejected keywords.
    public let warnings: [String]

    /// Parses the primary WCS (alternate ' ') of a FITS header, repairs legacy
    /// forms with `wcsfix`, and prepares it for conversions.
    ///
    /// - Parameters:
    ///   - header: The whole header as concatenated 80-character ASCII cards
    ///     without separators (what CFITSIO's `fits_hdr2str` returns); a
    ///     trailing NUL is allowed. The string is copied; the caller keeps it.
    ///   - fileName: Named in error messages so a failure points at the image.
    /// - Throws: ``WCSError/noWCS`` when there is no RA/Dec-type axis pair (a
    ///   header without WCS is never treated as an identity mapping),
    ///   ``WCSError/invalidHeader`` for text that is not FITS cards, and
    ///   ``WCSError/invalidParameters`` when WCSLIB rejects the values.
    public init(header: String, fileName: String? = nil) throws(WCSError) {
        let handle = try WCSLIBHandle(header: header, fileName: fileName)
        let wcs = handle.wcs.pointee
        let axes = Int(wcs.naxis)
        self.fileName = fileName
        axisCount = axes
        longitudeAxis = Int(wcs.lng)
        latitudeAxis = Int(wcs.lat)
        crval = Array(UnsafeBufferPointer(start: wcs.crval, count: axes))
        crpix = Array(UnsafeBufferPointer(start: wcs.crpix, count: axes))
        ctype = handle.axisTypes
        // After wcsset, PC holds the matrix in every form (CD is copied in with
        // CDELT reset to 1; CROTA is turned into a rotation), so CDELT * PC is
        // the CD matrix whichever keywords the header used.
        cdMatrix = (0..<axes).map { row in
            (0..<axes).map { column in wcs.cdelt[row] * wcs.pc[row * axes + column] }
        }
        warnings = handle.warnings
        // WCSLIB 7.12's wcsset accepts a singular matrix and wcss2p then
        // returns NaN with status 0, so catch it here with a clear message.
        let determinant = celestialDeterminant(cdMatrix, longitudeAxis, latitudeAxis)
        guard determinant.isFinite, determinant != 0 else {
            throw WCSError.invalidParameters(
                "the linear transformation matrix (CDi_j, or CDELTi x PCi_j) is singular: "
                    + "CD = \(cdMatrix)", fileName: fileName)
        }
        pixelScale = abs(determinant).squareRoot() * 3600
        state = Mutex(handle)
    }

    /// Runs `body` with exclusive access to the `wcsprm`. The pointer must not
    /// escape `body`: it is valid, and safe to use, only under the lock.
    func withWCS<Result: Sendable>(
        _ body: (UnsafeMutablePointer<wcsprm>) throws(WCSError) -> Result
    ) throws(WCSError) -> Result {
        try state.withLock { (handle) throws(WCSError) -> Result in
            try body(handle.wcs)
        }
    }

    /// `CRVAL` of the celestial axes: the sky position of the reference pixel.
    public var referencePosition: SkyPosition {
        SkyPosition(ra: SkyPosition.normalizedRA(crval[longitudeAxis]), dec: crval[latitudeAxis])
    }

    /// `CRPIX1`, `CRPIX2`: the reference pixel in FITS (1-based) coordinates.
    public var referencePixel: (x: Double, y: Double) {
        // A celestial pair exists (checked at init), so there are >= 2 axes.
        (crpix[0], crpix[1])
    }
}

/// The determinant of the celestial 2x2 block of `cd`: the rows of the
/// longitude and latitude axes, the columns of pixel axes 1 and 2.
private func celestialDeterminant(_ cd: [[Double]], _ lng: Int, _ lat: Int) -> Double {
    cd[lng][0] * cd[lat][1] - cd[lng][1] * cd[lat][0]
}
