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
        /// The candidate also matches another injected change closer than the
        /// seeing: it found both, and its flux is their sum.
        public var isBlend: Bool
    }

    public var image: String
    public var matches: [Match]
    /// Injected changes (with expected S/N) no candidate found.
    public var missed: [NightTruth.Entry]
    /// Injected changes outside the usable footprint of the difference (off
    /// the reference, or where the science image has no data): no detector
    /// could see them, so they count neither way.
    public var outsideFootprint: [NightTruth.Entry] = []
    /// Candidates matching nothing injected, with a cause.
    public var falseCandidates: [(candidate: Candidate, cause: FalseCause)]

    public init(image: String, matches: [Match], missed: [NightTruth.Entry],
                falseCandidates: [(candidate: Candidate, cause: FalseCause)], outsideFootprint: [NightTruth.Entry]) {
        self.image = image
        self.matches = matches
        self.missed = missed
        self.falseCandidates = falseCandidates
        self.outsideFootprint = outsideFootprint
    }
}

/// Scores candidates against the truth of their image.
public enum Scorer {
    /// Matches each injected change (in reference pixels) to the nearest
    /// candidate of the same sign within `radius` (1.5 seeing FWHM, at least
    /// 2 px); then explains every unmatched candidate.
    ///
    /// A candidate may serve two injected changes closer together than the
    /// seeing (a transient on a variable star, two supernovae in one host):
    /// no detector can split them, so both count as found, and such shared
    /// matches are marked ``Match/isBlend`` and left out of the flux pulls.
    ///
    /// - Parameters:
    ///   - referencePositions: the field's static sources in reference array pixels.
    ///   - referenceToScience: maps reference pixels to this image's pixels,
    ///     where detector artifacts (bad column, trails, hot pixels) live.
    ///   - inFootprint: whether a reference position lies where the difference
    ///     is usable (inside the image and the science image's overlap).
    public static func score(candidates: [Candidate], image: String, truth: [NightTruth.Entry],
                             sources: [(source: NightTruth.Source, position: PixelPoint)],
                             referenceToScience: PixelTransform, seeing: Double,
                             inFootprint: (PixelPoint) -> Bool = { _ in true }) -> ImageScore {
        let radius = max(2, 1.5 * seeing)
        let grid = SpatialGrid(points: candidates.map(\.position), cellSize: radius)
        var nearest: [(entry: NightTruth.Entry, index: Int)] = []
        var missed: [NightTruth.Entry] = []
        var outside: [NightTruth.Entry] = []
        for entry in truth where entry.isInjected && entry.delta != 0 {
            guard inFootprint(entry.referencePosition) else {
                outside.append(entry)
                continue
            }
            let best = grid.neighbours(of: entry.referencePosition, within: radius)
                .filter { (candidates[$0].flux > 0) == (entry.delta > 0) }
                .min { distance(candidates[$0].position, entry.referencePosition)
                    < distance(candidates[$1].position, entry.referencePosition) }
            if let best { nearest.append((entry, best)) } else { missed.append(entry) }
        }
        var uses: [Int: Int] = [:]
        for item in nearest { uses[item.index, default: 0] += 1 }
        let matches = nearest.map { item -> ImageScore.Match in
            let c = candidates[item.index]
            return ImageScore.Match(truth: item.entry, candidate: c, offset: distance(c.position, item.entry.referencePosition),
                                    pull: (c.flux - item.entry.delta) / c.fluxError, isBlend: uses[item.index, default: 0] > 1)
        }
        let explain = FalseCandidateCauses(truth: truth, sources: sources, referenceToScience: referenceToScience,
                                           seeing: seeing)
        let falses = candidates.indices.filter { uses[$0] == nil }.map { (candidates[$0], explain.cause(of: candidates[$0])) }
        return ImageScore(image: image, matches: matches, missed: missed, falseCandidates: falses,
                          outsideFootprint: outside)
    }

    static func distance(_ a: PixelPoint, _ b: PixelPoint) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
