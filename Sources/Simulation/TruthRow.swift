import Foundation

/// What a truth row describes.
public enum TruthKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A transient on random sky or next to a star.
    case transient
    /// A transient on a galaxy.
    case supernovaLike = "supernova_like"
    /// A variable star (the row gives its change against the reference).
    case variable
    /// A moving object.
    case moving
    /// A cosmic-ray hit.
    case cosmicRay = "cosmic_ray"
    /// A hot pixel.
    case hotPixel = "hot_pixel"
    /// The bad column.
    case badColumn = "bad_column"
    /// A satellite trail.
    case satelliteTrail = "satellite_trail"

    /// Whether it is an artifact rather than something on the sky.
    public var isArtifact: Bool {
        switch self {
        case .cosmicRay, .hotPixel, .badColumn, .satelliteTrail: true
        case .transient, .supernovaLike, .variable, .moving: false
        }
    }
}

/// One row of `truth.csv`: one injected object or artifact in one image.
/// The columns are defined in `docs/simulator.md` and ``TruthTable/header``.
public struct TruthRow: Sendable, Hashable {
    /// The image, relative to the output folder, e.g. `science/NOC-F00-E03.fits`.
    public var image: String
    /// Field name, e.g. `NOC-F00`.
    public var field: String
    /// 0-based science epoch; -1 for reference images.
    public var epoch: Int
    /// Mid-exposure MJD, when the position and flux were evaluated.
    public var mjd: Double
    /// The object's id (e.g. `F00-T007`, `F00-S01234`, `F00-E03-CR0012`, `HP007`, `BC`).
    public var objectID: String
    /// What it is.
    public var kind: TruthKind
    /// Right ascension, degrees [0, 360).
    public var ra: Double
    /// Declination, degrees.
    public var dec: Double
    /// Position in this image, FITS pixels (1-based).
    public var x: Double
    /// Position in this image, FITS pixels (1-based).
    public var y: Double
    /// Position in the field's deep reference image, FITS pixels (1-based).
    public var xRef: Double
    /// Position in the field's deep reference image, FITS pixels (1-based).
    public var yRef: Double
    /// Flux in this image, ADU (see the documentation per kind).
    public var flux: Double
    /// The change against the deep reference in reference ADU.
    public var deltaFluxRef: Double
    /// Expected S/N of `deltaFluxRef` in a PSF-matched difference image; nil for artifacts.
    public var expectedSNR: Double?
    /// Magnitude now (on the night's zero point, above the atmosphere); nil for artifacts.
    public var mag: Double?
    /// Host galaxy id of a supernova-like transient.
    public var hostID: String?
    /// Line end points (trails, cosmic-ray tracks) or the bad column's span, FITS pixels.
    public var x1: Double?, y1: Double?, x2: Double?, y2: Double?
}

/// Formats `truth.csv`.
///
/// Numbers are written with fixed decimals: RA/Dec 1e-11 degrees, pixels
/// 1e-7, fluxes 1e-4 ADU, S/N 1e-4, magnitudes 1e-6. That is far below any
/// measurement, and keeps the file identical across machines whose maths
/// libraries differ in the last bit.
public enum TruthTable {
    /// The header line's column names, in order.
    public static let columns = [
        "image", "field", "epoch", "mjd", "object_id", "kind", "ra", "dec", "x", "y", "x_ref", "y_ref",
        "flux", "delta_flux_ref", "expected_snr", "mag", "host_id", "x1", "y1", "x2", "y2",
    ]

    /// The header line, without newline.
    public static var header: String { columns.joined(separator: ",") }

    /// One CSV line for `row`, without newline.
    public static func line(_ row: TruthRow) -> String {
        [
            row.image, row.field, String(row.epoch), fixed(row.mjd, 9), row.objectID, row.kind.rawValue,
            fixed(row.ra, 11), fixed(row.dec, 11), fixed(row.x, 7), fixed(row.y, 7), fixed(row.xRef, 7),
            fixed(row.yRef, 7), fixed(row.flux, 4), fixed(row.deltaFluxRef, 4), optional(row.expectedSNR, 4),
            optional(row.mag, 6), row.hostID ?? "", optional(row.x1, 7), optional(row.y1, 7),
            optional(row.x2, 7), optional(row.y2, 7),
        ].joined(separator: ",")
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        precondition(value.isFinite, "truth value is not finite: \(value)")
        let text = String(format: "%.\(decimals)f", value)
        // "-0.0000" and "0.0000" are the same number; write it one way.
        return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
    }

    static func optional(_ value: Double?, _ decimals: Int) -> String {
        value.map { fixed($0, decimals) } ?? ""
    }
}
