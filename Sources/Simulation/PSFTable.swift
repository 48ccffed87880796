/// Pixel-integrated Moffat stamps on a grid of sub-pixel phases (steps of
/// 1/16 pixel), so that a point source is drawn by blending the four stamps
/// around its phase instead of integrating the profile again.
///
/// Bilinear blending keeps the centroid exact (it is linear in the phase)
/// and changes a pixel by at most 0.2 % of the peak (FWHM 1.5 px; less when
/// broader), below the photon noise of a star that fits in the table:
/// brighter stars are integrated exactly (``PointSourceRenderer``). The table
/// is built for phases >= 0 and mirrored, since the profile is symmetric.
struct PSFTable: Sendable {
    /// Phase steps per pixel; the table has `steps + 1` nodes per axis, from -0.5 to 0.5.
    static let steps = 16
    /// The profile tabulated.
    let profile: MoffatProfile
    /// Stamp half-size in pixels.
    let radius: Int
    /// Stamp side, `2 radius + 1`.
    let side: Int
    /// `(steps + 1)²` stamps of `side²` pixels, stamp `(kx, ky)` at `(ky (steps + 1) + kx) side²`.
    private let stamps: [Float]

    init(profile: MoffatProfile, radius: Int) {
        self.profile = profile
        self.radius = radius
        side = 2 * radius + 1
        let nodes = Self.steps + 1, area = side * side, half = Self.steps / 2
        var stamps = [Float](repeating: 0, count: nodes * nodes * area)
        for ky in half...Self.steps {
            for kx in half...Self.steps {
                let phaseX = Double(kx) / Double(Self.steps) - 0.5, phaseY = Double(ky) / Double(Self.steps) - 0.5
                let stamp = profile.stamp(phaseX: phaseX, phaseY: phaseY, radius: radius)
                let mirrors = [(kx, ky, false, false), (Self.steps - kx, ky, true, false),
                               (kx, Self.steps - ky, false, true), (Self.steps - kx, Self.steps - ky, true, true)]
                for (mx, my, flipX, flipY) in mirrors {
                    let base = (my * nodes + mx) * area
                    for j in 0..<side {
                        let sj = flipY ? side - 1 - j : j
                        for i in 0..<side {
                            let si = flipX ? side - 1 - i : i
                            stamps[base + j * side + i] = Float(stamp[sj * side + si])
                        }
                    }
                }
            }
        }
        self.stamps = stamps
    }

    /// Adds a point source of `flux` centred at array position (`x`, `y`)
    /// into the `width` x `height` row-major `pixels`, out to `limit` pixels
    /// (at most ``radius``) from its nearest pixel. Parts off the image are dropped.
    func add(flux: Double, x: Double, y: Double, limit: Int,
             into pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) {
        let centreX = Int(x.rounded()), centreY = Int(y.rounded())
        let r = min(limit, radius)
        let x0 = max(centreX - r, 0), x1 = min(centreX + r, width - 1)
        let y0 = max(centreY - r, 0), y1 = min(centreY + r, height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let (kx, tx) = Self.node(x - Double(centreX)), (ky, ty) = Self.node(y - Double(centreY))
        let nodes = Self.steps + 1, area = side * side
        let f = Float(flux)
        let w00 = f * Float((1 - tx) * (1 - ty)), w10 = f * Float(tx * (1 - ty))
        let w01 = f * Float((1 - tx) * ty), w11 = f * Float(tx * ty)
        stamps.withUnsafeBufferPointer { table in
            let s00 = (ky * nodes + kx) * area, s10 = s00 + area
            let s01 = s00 + nodes * area, s11 = s01 + area
            for yy in y0...y1 {
                let row = (yy - centreY + radius) * side - centreX + radius
                let out = yy * width
                for xx in x0...x1 {
                    let k = row + xx
                    pixels[out + xx] += w00 * table[s00 + k] + w10 * table[s10 + k]
                        + w01 * table[s01 + k] + w11 * table[s11 + k]
                }
            }
        }
    }

    /// The table node below `phase` (in [-0.5, 0.5]) and the fraction of the
    /// way to the next node.
    private static func node(_ phase: Double) -> (Int, Double) {
        let t = (phase + 0.5) * Double(steps)
        let k = min(max(Int(t), 0), steps - 1)
        return (k, t - Double(k))
    }
}
