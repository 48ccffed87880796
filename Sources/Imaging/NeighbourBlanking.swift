/// Cleans a PSF star's stamp of other sources' light.
///
/// In a crowded field every stamp holds some neighbours' light. Clipping per
/// pixel removes the bright ones, but the rest adds a diffuse few per cent
/// that, once the PSF is normalised to unit sum, depresses its core by as
/// much. So each neighbour is blanked within two FWHM of its centre (more
/// for brighter ones), the pedestal their wings leave is removed (the median
/// of the stamp's outer ring, where the star's own light is ~0.1%), and the
/// stamp is renormalised by its flux within 2.5 FWHM.
struct NeighbourBlanking {
    private let stars: [Star]
    private let grid: SpatialGrid
    private let seeing: Double
    private let half: Int

    init(stars: [Star], seeing: Double, half: Int) {
        self.stars = stars
        self.seeing = seeing
        self.half = half
        grid = SpatialGrid(points: stars.map(\.position), cellSize: Double(half))
    }

    /// The blanking radius for a neighbour of `flux` near a star of `reference` flux.
    private func radius(flux: Double, reference: Double) -> Double {
        let relative = max(flux / max(reference, 1e-9), 1e-6)
        // Two FWHM for a faint neighbour, up to four for one as bright as the star.
        return seeing * min(4, max(2, 2 + 2 * (relative.squareRoot())))
    }

    /// `stamp` (centred on `star`) with neighbours' pixels set to NaN, the
    /// outer-ring pedestal removed and unit flux within 2.5 FWHM.
    func blank(_ stamp: [Float], around star: Star) -> [Float] {
        var out = blankNeighbours(stamp, around: star)
        let side = 2 * half + 1
        var ring: [Float] = []
        var inner = 0.0
        let aperture = 2.5 * seeing
        for j in 0..<side {
            for i in 0..<side {
                let v = out[j * side + i]
                guard !v.isNaN else { continue }
                let d = max(abs(i - half), abs(j - half))
                if d >= half - 2 { ring.append(v) }
                let r2 = Double((i - half) * (i - half) + (j - half) * (j - half))
                if r2 <= aperture * aperture { inner += Double(v) }
            }
        }
        let pedestal = ring.count >= 8 ? RobustStatistics.medianInPlace(&ring) : 0
        let area = Double.pi * aperture * aperture
        let flux = inner - Double(pedestal) * area
        guard flux > 0 else { return out }
        let scale = Float(1 / flux)
        for k in out.indices where !out[k].isNaN { out[k] = (out[k] - pedestal) * scale }
        return out
    }

    private func blankNeighbours(_ stamp: [Float], around star: Star) -> [Float] {
        let side = 2 * half + 1
        var out = stamp
        let reach = Double(half) + 4 * seeing
        for index in grid.neighbours(of: star.position, within: reach * 1.415) {
            let other = stars[index]
            let dx = other.position.x - star.position.x, dy = other.position.y - star.position.y
            guard dx * dx + dy * dy > 0.25 else { continue }   // the star itself
            let r = radius(flux: other.flux, reference: star.flux)
            let lo = (x: max(0, Int((dx - r).rounded(.down)) + half), y: max(0, Int((dy - r).rounded(.down)) + half))
            let hi = (x: min(side - 1, Int((dx + r).rounded(.up)) + half), y: min(side - 1, Int((dy + r).rounded(.up)) + half))
            guard lo.x <= hi.x, lo.y <= hi.y else { continue }
            for j in lo.y...hi.y {
                for i in lo.x...hi.x {
                    let px = Double(i - half) - dx, py = Double(j - half) - dy
                    if px * px + py * py <= r * r { out[j * side + i] = .nan }
                }
            }
        }
        return out
    }
}

extension NeighbourBlanking {
    /// The star with its centroid measured again on its cleaned stamp: a
    /// neighbour's wing biases a windowed centroid by a tenth of a pixel or
    /// more, which would blur the stack by as much.
    func recentred(_ star: Star, in image: Image<Float>) -> Star {
        guard let stamp = ShiftedStamp.cut(image, mask: nil, star: star, half: half) else { return star }
        let side = 2 * half + 1
        let cleaned = Image(width: side, height: side, pixels: blank(stamp, around: star))
        guard let centre = WindowedCentroid.refine(cleaned, start: PixelPoint(x: Double(half), y: Double(half)),
                                                   sigma: seeing / 2.3548) else { return star }
        let dx = centre.x - Double(half), dy = centre.y - Double(half)
        guard dx * dx + dy * dy < 1 else { return star }
        var moved = star
        moved.position = PixelPoint(x: star.position.x + dx, y: star.position.y + dy)
        return moved
    }
}

extension PhaseSample {
    /// The sample with a neighbour's pixels blanked; see ``NeighbourBlanking``.
    func blanked(_ pixels: [Float]) -> PhaseSample {
        var copy = self
        copy.pixels = pixels
        return copy
    }
}

extension NeighbourBlanking {
    func blank(_ sample: PhaseSample, around star: Star) -> PhaseSample {
        sample.blanked(blank(sample.pixels, around: star))
    }
}
