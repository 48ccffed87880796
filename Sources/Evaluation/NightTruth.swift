import Foundation
import Pixels

/// A simulated night's truth, read from its `truth.csv` and `sources.csv`
/// (the columns `nocturne simulate` writes, documented in
/// `docs/simulator.md`), so nights from any simulator that writes them can
/// be scored.
public struct NightTruth: Sendable {
    /// One injected object or artifact in one image.
    public struct Entry: Sendable, Hashable {
        public var image: String
        public var field: String
        public var objectID: String
        /// transient, supernova_like, variable, moving, cosmic_ray, hot_pixel, bad_column, satellite_trail.
        public var kind: String
        /// Position in the image and in the reference, 0-based array pixels.
        public var position: PixelPoint
        public var referencePosition: PixelPoint
        /// The change against the reference, reference ADU (signed).
        public var delta: Double
        /// Expected S/N of the change in a difference image; nil for artifacts.
        public var expectedSNR: Double?
        /// Line end points in the image, 0-based (trails, tracks, the bad column).
        public var line: (PixelPoint, PixelPoint)?

        public static func == (a: Entry, b: Entry) -> Bool { a.image == b.image && a.objectID == b.objectID }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(image)
            hasher.combine(objectID)
        }

        /// Whether it is something real on the sky to be found (not an artifact).
        public var isInjected: Bool { ["transient", "supernova_like", "variable", "moving"].contains(kind) }
    }

    /// One static star or galaxy of a field.
    public struct Source: Sendable {
        public var field: String
        public var kind: String
        public var ra: Double
        public var dec: Double
        /// Total flux in reference ADU.
        public var flux: Double
        /// Half-light radius for galaxies, pixels.
        public var halfLightRadius: Double?
        public var saturated: Bool
    }

    /// Truth rows by image path (as written, e.g. `science/NOC-F00-E03.fits`).
    public var entries: [String: [Entry]]
    /// Static sources by field.
    public var sources: [String: [Source]]

    /// Reads `truth.csv` and `sources.csv` from a night's folder.
    public static func load(_ directory: URL) throws -> NightTruth {
        var entries: [String: [Entry]] = [:]
        for row in try CSVRows.read(directory.appendingPathComponent("truth.csv")) {
            let entry = try Entry(row)
            entries[entry.image, default: []].append(entry)
        }
        var sources: [String: [Source]] = [:]
        for row in try CSVRows.read(directory.appendingPathComponent("sources.csv")) {
            let source = try Source(row)
            sources[source.field, default: []].append(source)
        }
        return NightTruth(entries: entries, sources: sources)
    }
}

extension NightTruth.Entry {
    init(_ row: [String: String]) throws {
        func number(_ key: String) throws -> Double {
            guard let text = row[key], let value = Double(text) else { throw CSVRows.Error(column: key, text: row[key] ?? "") }
            return value
        }
        func optional(_ key: String) -> Double? { row[key].flatMap(Double.init) }
        image = row["image"] ?? ""
        field = row["field"] ?? ""
        objectID = row["object_id"] ?? ""
        kind = row["kind"] ?? ""
        position = fitsToArray(PixelPoint(x: try number("x"), y: try number("y")))
        referencePosition = fitsToArray(PixelPoint(x: try number("x_ref"), y: try number("y_ref")))
        delta = optional("delta_flux_ref") ?? 0
        expectedSNR = optional("expected_snr")
        if let x1 = optional("x1"), let y1 = optional("y1"), let x2 = optional("x2"), let y2 = optional("y2") {
            line = (fitsToArray(PixelPoint(x: x1, y: y1)), fitsToArray(PixelPoint(x: x2, y: y2)))
        }
    }
}

extension NightTruth.Source {
    init(_ row: [String: String]) throws {
        guard let ra = row["ra"].flatMap(Double.init), let dec = row["dec"].flatMap(Double.init),
              let flux = row["flux_ref"].flatMap(Double.init) else {
            throw CSVRows.Error(column: "ra/dec/flux_ref", text: row.description)
        }
        field = row["field"] ?? ""
        kind = row["kind"] ?? ""
        self.ra = ra
        self.dec = dec
        self.flux = flux
        halfLightRadius = row["half_light_radius"].flatMap(Double.init)
        saturated = row["saturated"] == "1"
    }
}

/// A CSV file with a header row and no quoted fields, as a list of
/// dictionaries keyed by column name.
enum CSVRows {
    struct Error: Swift.Error, CustomStringConvertible {
        let column: String
        let text: String
        var description: String { "column \(column): cannot read '\(text)'" }
    }

    static func read(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (i, name) in header.enumerated() where i < fields.count && !fields[i].isEmpty { row[name] = fields[i] }
            return row
        }
    }
}
