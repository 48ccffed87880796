import Imaging
import WCS

/// The sky↔pixel conversions of the simulator, all through WCSLIB, so that
/// positions in the truth table agree with the headers. Errors become
/// ``SimulationError`` with ``SimulationError/Code/geometry``.
enum Geometry {
    /// The transform of `wcs`, parsed from the same header cards that are written.
    static func transform(_ wcs: TangentPlaneWCS) throws(SimulationError) -> WCSTransform {
        do {
            return try WCSTransform(wcs)
        } catch {
            throw SimulationError(.geometry, problem: "cannot build a WCS: \(error)")
        }
    }

    /// Sky positions of 0-based array positions; every one must convert.
    static func sky(_ transform: WCSTransform, arrayXs: [Double], arrayYs: [Double]) throws(SimulationError) -> [SkyPosition] {
        do {
            let positions = try transform.pixelToSky(arrayXs: arrayXs, arrayYs: arrayYs)
            if let bad = positions.firstIndex(where: { !$0.isValid }) {
                throw SimulationError(.geometry, problem: "array pixel (\(arrayXs[bad]), \(arrayYs[bad])) has no sky position")
            }
            return positions
        } catch let error as SimulationError {
            throw error
        } catch {
            throw SimulationError(.geometry, problem: "pixel to sky: \(error)")
        }
    }

    /// 0-based array positions of sky positions (degrees); positions that
    /// cannot be projected come back as NaN.
    static func arrayPixels(_ transform: WCSTransform, _ ras: [Double],
                            _ decs: [Double]) throws(SimulationError) -> (xs: [Double], ys: [Double]) {
        do {
            return try transform.skyToArrayPixel(ras: ras, decs: decs)
        } catch {
            throw SimulationError(.geometry, problem: "sky to pixel: \(error)")
        }
    }

    /// `value` written with at least `width` digits, zero-padded.
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension FieldLayout {
    /// The prefix of the ids of a field's objects, `Fnn`.
    static func idPrefix(_ field: Int) -> String { "F" + Geometry.digits(field, 2) }
}
