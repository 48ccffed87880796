import Foundation

/// What ingest learns about one exposure from its FITS file: the row that
/// goes into `observations`. Pure data; reading it is ``ObservationReader``'s
/// job and storing it is the store's.
public struct Observation: Sendable, Equatable {
    /// The survey's identity for the exposure (see ``ObservationReader/observationKey(_:)``).
    public var observationKey: String
    /// Survey name, from settings or the header.
    public var survey: String
    public var role: ObservationRole
    /// The field observed (OBJECT), if the header says.
    public var field: String?
    /// Filter name (FILTER, FILTER1, FILTNAME …).
    public var filter: String?
    /// Start of the exposure, UTC.
    public var dateObs: Date
    /// Modified Julian Date of the start (from MJD-OBS, else from DATE-OBS).
    public var mjdObs: Double
    /// Exposure time, seconds (> 0).
    public var exptime: Double
    /// Sky position of the image centre through the WCS, degrees.
    public var centerRA: Double
    public var centerDec: Double
    /// Pixel scale from the WCS, arcsec/pixel.
    public var pixelScale: Double
    public var airmass: Double?
    /// Detector gain, e⁻/ADU, and read noise, e⁻.
    public var gain: Double?
    public var readNoise: Double?
    /// Saturation level, ADU.
    public var saturate: Double?
    public var telescope: String?
    public var instrument: String?
    /// Image size, pixels.
    public var width: Int
    public var height: Int
    /// The whole header as a JSON object (`{"KEY": value}`), typed;
    /// COMMENT and HISTORY gathered into arrays.
    public var headerJSON: String
    /// The file: its path as given, size in bytes and SHA-256 (hex).
    public var filePath: String
    public var fileSize: Int
    public var fileSHA256: String

    /// The observing night (UTC date twelve hours before the exposure).
    public var night: String { ObservationTime.night(of: dateObs) }
}
