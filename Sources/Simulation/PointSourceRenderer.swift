/// Draws point sources (stars, transients, moving objects) with the
/// exposure's PSF: from the phase table when the source's visible extent fits
/// in it, otherwise by integrating the profile pixel by pixel, which only the
/// few bright stars need.
struct PointSourceRenderer: Sendable {
    /// Largest radius drawn for any source, pixels.
    static let maximumRadius = 150
    /// The tabulated PSF.
    let table: PSFTable
    /// Wings fainter than this, in e⁻ per pixel, are not drawn: a small
    /// fraction of the background noise, so truncation is invisible.
    let floor: Double

    /// A renderer for `profile` whose table covers the core of every faint
    /// source; `noise` is the per-pixel background noise in e⁻.
    init(profile: MoffatProfile, noise: Double) {
        let radius = max(6, Int((3.5 * profile.fwhm).rounded(.up)) + 2)
        table = PSFTable(profile: profile, radius: radius)
        floor = 0.02 * noise
    }

    /// The radius out to which a source of `flux` e⁻ is drawn.
    func radius(flux: Double) -> Int {
        let needed = Int(table.profile.radius(flux: flux, floor: floor).rounded(.up)) + 1
        return min(max(needed, 2), Self.maximumRadius)
    }

    /// Adds a point source of `flux` e⁻ centred at array position (`x`, `y`).
    func add(flux: Double, x: Double, y: Double,
             into pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) {
        guard flux > 0 else { return }
        let r = radius(flux: flux)
        if r <= table.radius {
            table.add(flux: flux, x: x, y: y, limit: r, into: pixels, width: width, height: height)
            return
        }
        let centreX = Int(x.rounded()), centreY = Int(y.rounded())
        let x0 = max(centreX - r, 0), x1 = min(centreX + r, width - 1)
        let y0 = max(centreY - r, 0), y1 = min(centreY + r, height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for yy in y0...y1 {
            let dy = Double(yy) - y
            for xx in x0...x1 {
                let value = flux * table.profile.pixelIntegral(dx: Double(xx) - x, dy: dy)
                pixels[yy * width + xx] += Float(value)
            }
        }
    }
}
