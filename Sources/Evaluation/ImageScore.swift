import Extraction
import Foundation
import Imaging

/// Why a candidate that matches nothing injected was found.
public enum FalseCause: String, Sendable, CaseIterable, Codable {
    case cosmicRay = "cosmic_ray"
    case hotPixel = "hot_pixel"
    case badColumn = "bad_column"
    case satelliteTrail = "satellite_trail"
    case brightStar = "bright_star"
    case galaxy
    /// Near a variable star or transient, but not a match (wrong sign, or a
    /// change the truth expects below S/N 3).
    case injectedBelowLimit = "near_faint_injected"
    /// Noise or something the truth does not explain.
    case unexplained
}

/// How one image's candidates compare with the truth.
public struct ImageScore: Sendable {
    /// An injected change matched by a candidate.
    public struct Match: Sendable {
        public var truth: NightTruth.Entry
        public var candidate: Candidate
        /// Distance between candidate and truth, reference pixels.
        public var offset: Double
        /// (measured − true change) / measured error.
        public var pull: Double
    }

    public var image: String
    public var matches: [Match]
    /// Injected changes (with expected S/N) no candidate found.
    public var missed: [NightTruth.Entry]
    /// Candidates matching nothing injected, with a cause.
    public var falseCandidates: [(candidate: Candidate, cause: FalseCause)]
}

/// Scores candidates against the truth of their image.
public enum Scorer {
    /// Matches each injected change (in reference pixels) to the nearest
    /// candidate of the same sign within `radius` (1.5 seeing FWHM, at least
    /// 2 px), brightest truth first; then explains every unmatched candidate.
    ///
    /// - Parameters:
    ///   - referencePositions: the field's static sources in reference array pixels.
    ///   - referenceToScience: maps reference pixels to this image's pixels,
    ///     where detector artifacts (bad column, trails, hot pixels) live.
    public static func score(candidates: [Candidate], image: String, truth: [NightTruth.Entry],
                             sources: [(source: NightTruth.Source, position: PixelPoint)],
                             referenceToScience: PixelTransform, seeing: Double) -> ImageScore {
        let radius = max(2, 1.5 * seeing)
        let grid = SpatialGrid(points: candidates.map(\.position), cellSize: radius)
        var taken = Set<Int>()
        var matches: [ImageScore.Match] = []
        var missed: [NightTruth.Entry] = []
        let injected = truth.filter { $0.isInjected && $0.delta != 0 }
            .sorted { ($0.expectedSNR ?? 0) > ($1.expectedSNR ?? 0) }
        for entry in injected {
            let best = grid.neighbours(of: entry.referencePosition, within: radius)
                .filter { !taken.contains($0) && (candidates[$0].flux > 0) == (entry.delta > 0) }
                .min { distance(candidates[$0].position, entry.referencePosition)
                    < distance(candidates[$1].position, entry.referencePosition) }
            guard let index = best else {
                missed.append(entry)
                continue
            }
            taken.insert(index)
            let c = candidates[index]
            matches.append(ImageScore.Match(truth: entry, candidate: c, offset: distance(c.position, entry.referencePosition),
                                            pull: (c.flux - entry.delta) / c.fluxError))
        }
        let explain = FalseCandidateCauses(truth: truth, sources: sources, referenceToScience: referenceToScience,
                                           seeing: seeing)
        let falses = candidates.indices.filter { !taken.contains($0) }.map { (candidates[$0], explain.cause(of: candidates[$0])) }
        return ImageScore(image: image, matches: matches, missed: missed, falseCandidates: falses)
    }

    static func distance(_ a: PixelPoint, _ b: PixelPoint) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
