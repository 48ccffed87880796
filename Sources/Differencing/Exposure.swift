import FITS
import Foundation
import Imaging
import WCS

/// One exposure as the imaging core needs it: pixels in detector units, the
/// WCS, and the header facts that matter (gain, saturation, exposure time,
/// zero point). Built from a FITS file by ``load(_:)``, or directly from
/// values (the simulator, the stages receiving pixels in messages).
public struct Exposure: Sendable {
    /// A label for messages: usually the file path.
    public var name: String
    /// Pixels in detector units (ADU), NaN where there is no data.
    public var pixels: Image<Float>
    /// The image's world coordinate system.
    public var wcs: WCSTransform
    /// e⁻/ADU; nil when the header does not say.
    public var gain: Double?
    /// Saturation level in ADU; nil when unknown.
    public var saturate: Double?
    /// Exposure time, seconds.
    public var exptime: Double
    /// Photometric zero point: mag = zp − 2.5 log10(flux in ADU); nil when
    /// unknown, and magnitudes are then left out.
    public var zeroPoint: Double?
    /// The header's valued cards, to carry into products (minus structure).
    public var header: [FITSKeyValue]
    /// For an image whose noise is correlated (a stack), the white-equivalent
    /// sky σ from how it was made (header SKYSIG); nil for a raw exposure.
    public var skySigma: Double?

    /// An exposure from values.
    public init(name: String, pixels: Image<Float>, wcs: WCSTransform, gain: Double?, saturate: Double?,
                exptime: Double, zeroPoint: Double? = nil, header: [FITSKeyValue] = [], skySigma: Double? = nil) {
        self.name = name
        self.pixels = pixels
        self.wcs = wcs
        self.gain = gain
        self.saturate = saturate
        self.exptime = exptime
        self.zeroPoint = zeroPoint
        self.header = header
        self.skySigma = skySigma
    }

    /// Reads the first 2-D image of a FITS file with its header and WCS.
    /// Errors name the file: unreadable, no image, no WCS.
    public static func load(_ url: URL) throws -> Exposure {
        let file = try FITSFile(path: url.path)
        _ = try file.moveToFirstImage()
        return try Exposure(name: url.path, pixels: try file.readImage(as: Float.self), header: try file.header())
    }

    /// An exposure from pixels and their FITS header: the WCS, gain,
    /// saturation (SATURATE or SATLEVEL), exposure time, zero point (MAGZP,
    /// MAGZERO, PHOTZP or ZP) and a stack's SKYSIG are read from the header.
    public init(name: String, pixels: Image<Float>, header: FITSHeader) throws {
        let zeroPoint = ["MAGZP", "MAGZERO", "PHOTZP", "ZP"].lazy.compactMap { header.double($0) }.first
        self.init(name: name, pixels: pixels, wcs: try WCSTransform(header: header.rawCards, fileName: name),
                  gain: header.double("GAIN"), saturate: header.double("SATURATE") ?? header.double("SATLEVEL"),
                  exptime: header.double("EXPTIME") ?? 1, zeroPoint: zeroPoint, header: header.keyValues,
                  skySigma: header.double("SKYSIG"))
    }
}
