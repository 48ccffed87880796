import FITS
import WCS

/// The header cards of a simulated image: what a real camera writes, the
/// WCS the image was rendered with, and the simulator's provenance.
enum ImageHeader {
    /// `TELESCOP`.
    static let telescope = "Nocturne Sim 1.0m"
    /// `INSTRUME`.
    static let instrument = "SimCam"

    static func cards(for e: ExposurePlan, noise: NoiseModel, configuration c: NightConfiguration) -> [FITSKeyValue] {
        var cards: [FITSKeyValue] = [
            FITSKeyValue("IMAGETYP", .string(e.kind == .science ? "science" : "reference"), comment: "image type"),
            FITSKeyValue("OBJECT", .string(e.fieldName), comment: "field name"),
            FITSKeyValue("TELESCOP", .string(telescope), comment: "telescope"),
            FITSKeyValue("INSTRUME", .string(instrument), comment: "camera"),
            FITSKeyValue("FILTER", .string(c.night.filter), comment: "filter"),
            FITSKeyValue("TIMESYS", .string("UTC"), comment: "time scale of DATE-OBS and MJD-OBS"),
            FITSKeyValue("DATE-OBS", .string(e.dateObs), comment: "start of exposure (UTC)"),
            FITSKeyValue("MJD-OBS", .double(e.mjdStart), comment: "[d] start of exposure (UTC)"),
            FITSKeyValue("EXPTIME", .double(e.exposureTime), comment: "[s] exposure time"),
            FITSKeyValue("AIRMASS", .double(rounded(e.airmass, 4)), comment: "airmass at mid-exposure"),
            FITSKeyValue("GAIN", .double(c.camera.gain), comment: "[e-/ADU] gain"),
            FITSKeyValue("RDNOISE", .double(noise.readVariance.squareRoot()), comment: "[e-] read noise"),
            FITSKeyValue("SATURATE", .double(noise.saturation), comment: "[ADU] saturation level"),
            FITSKeyValue("BUNIT", .string("adu"), comment: "pixel unit"),
            FITSKeyValue("RA", .double(e.wcs.crval.ra), comment: "[deg] pointing right ascension"),
            FITSKeyValue("DEC", .double(e.wcs.crval.dec), comment: "[deg] pointing declination"),
            FITSKeyValue("EQUINOX", .double(2000), comment: "equinox of RA and DEC"),
        ]
        if e.reads > 1 {
            cards.append(FITSKeyValue("NCOMBINE", .int(e.reads), comment: "exposures summed in this coadd"))
        }
        cards += wcsCards(e.wcs)
        cards.append(FITSKeyValue("NOCSEED", .int(Int(c.seed)), comment: "Nocturne simulator seed"))
        cards.append(FITSKeyValue("NOCFIELD", .int(e.field), comment: "Nocturne simulator field number"))
        cards.append(FITSKeyValue("NOCEPOCH", .int(e.epoch), comment: "science epoch, 0-based; -1 for references"))
        if e.kind == .referenceExposure {
            cards.append(FITSKeyValue("NOCREFEX", .int(e.referenceIndex), comment: "shallow reference exposure number"))
        }
        return cards
    }

    /// The cards of `TangentPlaneWCS.headerCards()`, parsed back into typed
    /// values so the file holds exactly the WCS module's keywords and values
    /// (reals are written in the shortest form that reads back identically).
    static func wcsCards(_ wcs: TangentPlaneWCS) -> [FITSKeyValue] {
        let text = Array(wcs.headerCards())
        return stride(from: 0, to: text.count, by: 80).compactMap { start in
            let card = String(text[start..<min(start + 80, text.count)])
            let keyword = String(card.prefix(8)).trimmingCharacters(" ")
            guard card.count > 10, card.dropFirst(8).hasPrefix("= ") else { return nil }
            let field = card.dropFirst(10).drop(while: { $0 == " " })
            if field.hasPrefix("'") {
                let body = field.dropFirst()
                let value = body.prefix { $0 != "'" }.trimmingCharacters(" ")
                let rest = body.drop { $0 != "'" }.dropFirst()
                return FITSKeyValue(keyword, .string(value), comment: comment(rest))
            }
            let value = field.prefix { $0 != "/" }.trimmingCharacters(" ")
            let note = comment(field.drop { $0 != "/" })
            if let integer = Int(value) { return FITSKeyValue(keyword, .int(integer), comment: note) }
            guard let real = Double(value) else { return nil }
            return FITSKeyValue(keyword, .double(real), comment: note)
        }
    }

    /// The comment of a card's remainder after its value: the text after `/`.
    private static func comment(_ rest: Substring) -> String {
        let text = rest.drop { $0 == " " }
        return text.hasPrefix("/") ? text.dropFirst().trimmingCharacters(" ") : ""
    }

    private static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

extension StringProtocol {
    /// The text without leading and trailing `character`s.
    func trimmingCharacters(_ character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
