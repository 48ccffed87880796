import Checksum
import FITS
import Foundation
import WCS

/// Reads a FITS file into an ``Observation``, validating what the pipeline
/// relies on: a readable 2-D image that is not entirely blank, the required
/// keys with usable values, and a celestial WCS. Every failure is an
/// ``ObservationError`` naming the file (and key).
public enum ObservationReader {
    /// Reads and validates `url`.
    public static func read(_ url: URL, settings: IngestSettings = IngestSettings()) throws -> Observation {
        try readWithPixels(url, settings: settings).observation
    }

    /// Reads and validates `url`, keeping the pixels (float, detector units)
    /// and the header, which ingest sends downstream so nothing reads the
    /// file twice.
    public static func readWithPixels(_ url: URL, settings: IngestSettings = IngestSettings())
        throws -> (observation: Observation, pixels: Image<Float>, header: FITSHeader) {
        let name = url.path
        let (header, image) = try openImage(url)
        let width = image.width, height = image.height
        guard width > 0, height > 0 else {
            throw ObservationError(.noImage, file: name, detail: "the image has no pixels")
        }
        do {
            try image.validateNotBlank(file: name)
        } catch {
            throw ObservationError(.allBlank, file: name, detail: "every pixel is NaN or blank")
        }
        var required = ["DATE-OBS", "EXPTIME"]
        required += settings.requiredKeys.filter { !required.contains($0) }
        for key in required where !header.contains(key) {
            throw ObservationError(.missingKey, file: name, key: key, detail: "the header has no \(key)")
        }
        let dateObs = try startTime(header, file: name)
        let exptime = try positive(header, "EXPTIME", file: name)
        let wcs: WCSTransform
        let center: SkyPosition
        do {
            wcs = try WCSTransform(header: header.rawCards, fileName: name)
            center = try wcs.center(width: width, height: height)
        } catch {
            throw ObservationError(.noWCS, file: name, detail: error.message.isEmpty ? error.description : error.message)
        }
        let fingerprint = try FileChecksum.sha256(of: url)
        let telescope = header.string("TELESCOP"), instrument = header.string("INSTRUME")
        let observation = Observation(
            observationKey: observationKey(header, dateObs: dateObs),
            survey: settings.survey == "auto" ? surveyName(telescope: telescope, instrument: instrument) : settings.survey,
            role: role(header, settings: settings), field: header.string("OBJECT"), filter: filterName(header),
            dateObs: dateObs, mjdObs: header.double("MJD-OBS") ?? header.double("MJD") ?? ObservationTime.mjd(dateObs),
            exptime: exptime, centerRA: center.ra, centerDec: center.dec, pixelScale: wcs.pixelScale,
            airmass: header.double("AIRMASS"), gain: header.double("GAIN"),
            readNoise: header.double("RDNOISE") ?? header.double("READNOIS"),
            saturate: header.double("SATURATE") ?? header.double("SATLEVEL"),
            telescope: telescope, instrument: instrument, width: width, height: height,
            headerJSON: HeaderJSON.encode(header), filePath: name,
            fileSize: fingerprint.size, fileSHA256: fingerprint.sha256)
        return (observation, image, header)
    }

    /// The exposure's identity: instrument, detector (for mosaic cameras) and
    /// the start time to the millisecond. Exposure counters (EXPNUM, OBSID)
    /// restart every night or run on many cameras, so they cannot be keys.
    public static func observationKey(_ header: FITSHeader, dateObs: Date) -> String {
        let instrument = header.string("INSTRUME") ?? header.string("TELESCOP") ?? "unknown"
        let detector = ["CCDNUM", "CCD_ID", "DETECTOR", "EXTNAME"].lazy.compactMap { key -> String? in
            if let text = header.string(key) { return text }
            return header.int(key).map(String.init)
        }.first
        return [instrument, detector, ObservationTime.iso8601(dateObs)]
            .compactMap { $0 }.joined(separator: "/")
    }

    /// A header that calls itself a reference (IMAGETYP or OBSTYPE
    /// `reference`) is one; anything else takes the configured role.
    static func role(_ header: FITSHeader, settings: IngestSettings) -> ObservationRole {
        for key in ["IMAGETYP", "OBSTYPE"] where header.string(key)?.lowercased() == "reference" { return .reference }
        return settings.role
    }

    static func surveyName(telescope: String?, instrument: String?) -> String {
        let parts = [telescope, instrument].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return parts.isEmpty ? "unknown" : parts.joined(separator: "/")
    }

    static func filterName(_ header: FITSHeader) -> String? {
        for key in ["FILTER", "FILTER1", "FILTNAME", "FILTER2"] {
            if let name = header.string(key)?.trimmingCharacters(in: .whitespaces), !name.isEmpty,
               name.lowercased() != "dummy", name.lowercased() != "clear" || key == "FILTER" {
                return name
            }
        }
        return nil
    }

    private static func openImage(_ url: URL) throws -> (FITSHeader, Image<Float>) {
        do {
            let file = try FITSFile(path: url.path)
            _ = try file.moveToFirstImage()
            let header = try file.header()
            let image = try file.readImage(as: Float.self)
            return (header, image)
        } catch let error as FITSError {
            let kind: ObservationError.Kind = error.code == .noImageHDU || error.code == .wrongDimensionality
                ? .noImage : .unreadable
            throw ObservationError(kind, file: url.path, detail: error.problem)
        }
    }

    private static func startTime(_ header: FITSHeader, file: String) throws -> Date {
        guard let text = header.string("DATE-OBS") else {
            throw ObservationError(.invalidValue, file: file, key: "DATE-OBS", detail: "not a string")
        }
        let time = header.string("TIME-OBS") ?? header.string("UT") ?? header.string("UTSTART")
        switch ObservationTime.dateObs(text, timeOfDay: time) {
        case .success(let date): return date
        case .failure(let error): throw ObservationError(.invalidValue, file: file, key: "DATE-OBS", detail: error.reason)
        }
    }

    private static func positive(_ header: FITSHeader, _ key: String, file: String) throws -> Double {
        guard let value = header.double(key) else {
            throw ObservationError(.invalidValue, file: file, key: key, detail: "not a number")
        }
        guard value > 0, value.isFinite else {
            throw ObservationError(.invalidValue, file: file, key: key, detail: "must be > 0, got \(value)")
        }
        return value
    }
}
