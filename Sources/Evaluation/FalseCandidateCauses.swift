import Extraction
import Foundation
import Imaging

/// Explains a false candidate by what the truth has near it, in order:
/// detector artifacts (in the image's own pixels), bright stars and galaxies
/// (in the reference), faint injected changes, else unexplained.
struct FalseCandidateCauses {
    let artifacts: [NightTruth.Entry]
    let faintInjected: SpatialGrid
    let brightStars: [(position: PixelPoint, radius: Double)]
    let galaxies: [(position: PixelPoint, radius: Double)]
    let referenceToScience: PixelTransform
    let seeing: Double

    init(truth: [NightTruth.Entry], sources: [(source: NightTruth.Source, position: PixelPoint)],
         referenceToScience: PixelTransform, seeing: Double) {
        artifacts = truth.filter { !$0.isInjected }
        faintInjected = SpatialGrid(points: truth.filter(\.isInjected).map(\.referencePosition), cellSize: 4 * seeing)
        // A star's residual ring grows with its brightness; saturated stars
        // spoil the most.
        brightStars = sources.filter { $0.source.kind == "star" && $0.source.flux > 3e5 }.map { item in
            let scale = item.source.saturated ? 10.0 : 3 + 2 * log10(item.source.flux / 3e5)
            return (item.position, scale * seeing)
        }
        galaxies = sources.filter { $0.source.kind == "galaxy" }.map { item in
            (item.position, max(2 * seeing, 2 * (item.source.halfLightRadius ?? 0)))
        }
        self.referenceToScience = referenceToScience
        self.seeing = seeing
    }

    func cause(of candidate: Candidate) -> FalseCause {
        let here = referenceToScience.apply(candidate.position)
        for artifact in artifacts {
            switch artifact.kind {
            case "cosmic_ray" where near(here, artifact.position, 3) || nearLine(here, artifact.line, 3):
                return .cosmicRay
            case "hot_pixel" where near(here, artifact.position, 3):
                return .hotPixel
            case "bad_column" where nearLine(here, artifact.line, 3):
                return .badColumn
            case "satellite_trail" where nearLine(here, artifact.line, 3 * seeing):
                return .satelliteTrail
            default: continue
            }
        }
        if brightStars.contains(where: { near(candidate.position, $0.position, $0.radius) }) { return .brightStar }
        if !faintInjected.neighbours(of: candidate.position, within: 2 * seeing).isEmpty { return .injectedBelowLimit }
        if galaxies.contains(where: { near(candidate.position, $0.position, $0.radius) }) { return .galaxy }
        return .unexplained
    }

    private func near(_ a: PixelPoint, _ b: PixelPoint, _ r: Double) -> Bool {
        (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) <= r * r
    }

    /// Distance from a point to a segment, within `r`.
    private func nearLine(_ p: PixelPoint, _ line: (PixelPoint, PixelPoint)?, _ r: Double) -> Bool {
        guard let (a, b) = line else { return false }
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        let t = length2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
        return near(p, PixelPoint(x: a.x + t * dx, y: a.y + t * dy), r)
    }
}
