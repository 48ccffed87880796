/// The part of the sky an image covers, from its WCS and size.
///
/// Membership is decided in pixel space: a sky position is projected into
/// the image and compared with the image bounds. That is exact for any
/// projection and distortion, and has no trouble with fields that straddle
/// RA = 0 or contain a pole, where comparing RA/Dec ranges goes wrong.
public struct Footprint: Sendable {
    /// The transform the footprint was computed from (shared, not copied).
    public let transform: WCSTransform
    /// Image width in pixels (`NAXIS1`).
    public let width: Int
    /// Image height in pixels (`NAXIS2`).
    public let height: Int
    /// The sky positions of the centres of the four corner pixels, in order
    /// FITS (1, 1), (width, 1), (width, height), (1, height), as astropy's
    /// `calc_footprint` gives them. RA in `[0, 360)`, degrees.
    public let corners: [SkyPosition]

    /// Whether the sky position (`ra`, `dec`, degrees) falls on the image,
    /// i.e. within the outer pixel edges: FITS `0.5 <= x <= width + 0.5`, same
    /// for `y`. Positions that cannot be projected are outside.
    public func contains(ra: Double, dec: Double) -> Bool {
        contains(ras: [ra], decs: [dec])[0]
    }

    /// ``contains(ra:dec:)`` for many positions with one WCSLIB call each way.
    ///
    /// Each projected pixel is converted back to the sky and must land within
    /// 0.01 arcsec of the input: inverting a distortion polynomial far outside
    /// the image can converge on a spurious pixel, which this rejects.
    public func contains(ras: [Double], decs: [Double]) -> [Bool] {
        guard let pixels = try? transform.skyToPixel(ras: ras, decs: decs) else {
            return [Bool](repeating: false, count: ras.count)
        }
        let inside = (0..<ras.count).map { index in
            let x = pixels.xs[index], y = pixels.ys[index]
            return x >= 0.5 && x <= Double(width) + 0.5 && y >= 0.5 && y <= Double(height) + 0.5
        }
        let candidates = inside.indices.filter { inside[$0] }
        guard !candidates.isEmpty else { return inside }
        guard let back = try? transform.pixelToSky(xs: candidates.map { pixels.xs[$0] },
                                                   ys: candidates.map { pixels.ys[$0] })
        else { return [Bool](repeating: false, count: ras.count) }
        var result = inside
        for (slot, index) in candidates.enumerated() {
            let input = SkyPosition(ra: ras[index], dec: decs[index])
            result[index] = back[slot].isValid && back[slot].separation(to: input) * 3600 < 0.01
        }
        return result
    }

    /// ``contains(ra:dec:)`` for a ``SkyPosition``.
    public func contains(_ position: SkyPosition) -> Bool {
        contains(ra: position.ra, dec: position.dec)
    }
}
