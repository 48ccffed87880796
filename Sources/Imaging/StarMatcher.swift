import Foundation

/// Why two star lists could not be registered.
public struct RegistrationError: Error, CustomStringConvertible, Sendable {
    /// What failed, in words.
    public let reason: String
    public var description: String { "registration failed: \(reason)" }
}

/// How star lists are matched and the transform fitted.
public struct MatchParameters: Sendable, Equatable {
    /// Brightest clean stars used from each list.
    public var maximumStars: Int = 400
    /// Largest residual offset, pixels, that the WCS-predicted positions may
    /// be off by; offsets are found by voting within it.
    public var searchRadius: Double = 60
    /// Final match radius after the transform is fitted, pixels.
    public var matchRadius: Double = 2
    /// Polynomial order of the fitted map (1 affine, 2 or 3 with distortion).
    /// Higher orders are used only with enough matches (15 per term).
    public var order: Int = 2
    /// Fewer matches than this is a failure.
    public var minimumMatches: Int = 6
    /// Stars fainter than this aperture S/N are left out of the fit (unless
    /// too few would remain): a star at S/N 5 has a centroid error of ~0.3 px
    /// and would only add noise to the transform.
    public var minimumSNR: Double = 10

    /// Defaults for survey images.
    public init() {}
}

/// The outcome of registering a science image to its reference.
public struct Registration: Sendable {
    /// Maps reference pixels to science pixels (what resampling needs).
    public let referenceToScience: PixelTransform
    /// Maps science pixels to reference pixels.
    public let scienceToReference: PixelTransform
    /// Matched pairs: (index into science stars, index into reference stars).
    public let pairs: [(science: Int, reference: Int)]
    /// RMS of the fit residuals in reference pixels (per axis combined).
    public let rmsPixels: Double
}

/// Matches a science star list to a reference star list, given a first guess
/// of the mapping (usually both WCS), and fits the transform between them.
///
/// The guess may be off by tens of pixels: the residual offset is found by
/// voting over all pairs within ``MatchParameters/searchRadius``. Then
/// nearest neighbours are matched and a polynomial is fitted with iterative
/// 3σ clipping, rematching with the fitted map each round.
public enum StarMatcher {
    /// Registers `science` to `reference`.
    ///
    /// - Parameter predict: science pixel → predicted reference pixel (0-based),
    ///   typically science WCS → sky → reference WCS. Nil for points that
    ///   cannot be mapped.
    public static func register(science: [Star], reference: [Star],
                                predict: (PixelPoint) -> PixelPoint?,
                                parameters: MatchParameters = MatchParameters()) throws -> Registration {
        let sci = usable(science, parameters)
        let ref = usable(reference, parameters)
        let predicted = sci.map { predict(science[$0].position) }
        let refPoints = ref.map { reference[$0].position }
        let grid = SpatialGrid(points: refPoints, cellSize: max(parameters.searchRadius / 4, 4))
        let offset = try vote(predicted: predicted, refPoints: refPoints, grid: grid, parameters: parameters)
        var fitted: PixelTransform?
        func mapping(_ p: PixelPoint) -> PixelPoint? {
            if let fitted { return fitted.apply(p) }
            return predict(p).map { PixelPoint(x: $0.x + offset.x, y: $0.y + offset.y) }
        }
        var radius = max(3, 2 * parameters.matchRadius)
        var result: Registration?
        for round in 0..<5 {
            let pairs = nearestPairs(sci: sci, science: science, ref: ref, refPoints: refPoints,
                                     grid: grid, mapping: mapping, radius: radius)
            guard pairs.count >= parameters.minimumMatches else {
                throw RegistrationError(reason: "only \(pairs.count) stars matched within \(radius) px (need \(parameters.minimumMatches))")
            }
            let registration = try fitClipped(pairs: pairs, science: science, reference: reference,
                                              parameters: parameters)
            let previousCount = result?.pairs.count
            result = registration
            fitted = registration.scienceToReference
            radius = parameters.matchRadius
            if round > 0 && registration.pairs.count == previousCount { break }
        }
        return result!
    }

    /// Clean, measured, bright enough: the brightest `maximumStars` of them,
    /// or of all clean stars when fewer than a handful pass the S/N cut.
    private static func usable(_ stars: [Star], _ parameters: MatchParameters) -> [Int] {
        let bad: StarFlags = [.saturated, .edge, .masked, .blended]
        let clean = stars.indices.filter { stars[$0].flags.isDisjoint(with: bad) }
        let bright = clean.filter { stars[$0].snr >= parameters.minimumSNR }
        let chosen = bright.count >= 3 * parameters.minimumMatches ? bright : clean
        return Array(chosen.sorted { stars[$0].flux > stars[$1].flux }.prefix(parameters.maximumStars))
    }

    /// The offset (reference − predicted) that most pairs agree on: votes
    /// in 2-px bins, then the mean of the votes in the winning bin and its
    /// neighbours.
    private static func vote(predicted: [PixelPoint?], refPoints: [PixelPoint], grid: SpatialGrid,
                             parameters: MatchParameters) throws -> PixelPoint {
        struct Bin: Hashable { var x: Int, y: Int }
        let width = 2.0
        var counts: [Bin: Int] = [:]
        var votes: [(dx: Double, dy: Double)] = []
        for case let p? in predicted {
            for j in grid.neighbours(of: p, within: parameters.searchRadius) {
                let dx = refPoints[j].x - p.x, dy = refPoints[j].y - p.y
                counts[Bin(x: Int((dx / width).rounded()), y: Int((dy / width).rounded())), default: 0] += 1
                votes.append((dx, dy))
            }
        }
        guard let best = counts.max(by: { $0.value < $1.value })?.key, counts[best]! >= 3 else {
            throw RegistrationError(reason: "no consistent offset between \(predicted.count) science and \(refPoints.count) reference stars")
        }
        let centreX = Double(best.x) * width, centreY = Double(best.y) * width
        let near = votes.filter { abs($0.dx - centreX) <= 1.5 * width && abs($0.dy - centreY) <= 1.5 * width }
        return PixelPoint(x: near.map(\.dx).reduce(0, +) / Double(near.count),
                          y: near.map(\.dy).reduce(0, +) / Double(near.count))
    }

    private static func nearestPairs(sci: [Int], science: [Star], ref: [Int], refPoints: [PixelPoint],
                                     grid: SpatialGrid, mapping: (PixelPoint) -> PixelPoint?,
                                     radius: Double) -> [(science: Int, reference: Int)] {
        var best: [Int: (Int, Double)] = [:]   // reference slot → (science index, distance²)
        for i in sci {
            guard let p = mapping(science[i].position), let j = grid.nearest(to: p, within: radius) else { continue }
            let d = (refPoints[j].x - p.x) * (refPoints[j].x - p.x) + (refPoints[j].y - p.y) * (refPoints[j].y - p.y)
            if let existing = best[j], existing.1 <= d { continue }
            best[j] = (i, d)
        }
        return best.map { (science: $0.value.0, reference: ref[$0.key]) }.sorted { $0.science < $1.science }
    }

    private static func fitClipped(pairs: [(science: Int, reference: Int)], science: [Star], reference: [Star],
                                   parameters: MatchParameters) throws -> Registration {
        var kept = pairs
        var order = parameters.order
        while order > 1 && kept.count < 15 * (order + 1) * (order + 2) / 2 { order -= 1 }
        for _ in 0..<5 {
            let from = kept.map { science[$0.science].position }, to = kept.map { reference[$0.reference].position }
            guard let forward = PixelTransform.fit(from: from, to: to, order: order),
                  let inverse = PixelTransform.fit(from: to, to: from, order: order) else {
                throw RegistrationError(reason: "degenerate star positions for an order-\(order) fit")
            }
            let residuals = zip(from, to).map { (f, t) -> Double in
                let m = forward.apply(f)
                return ((m.x - t.x) * (m.x - t.x) + (m.y - t.y) * (m.y - t.y)).squareRoot()
            }
            let rms = (residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)).squareRoot()
            let survivors = zip(kept, residuals).filter { $0.1 <= max(3 * rms, 0.05) }.map(\.0)
            if survivors.count == kept.count || survivors.count < parameters.minimumMatches {
                return Registration(referenceToScience: inverse, scienceToReference: forward, pairs: kept, rmsPixels: rms)
            }
            kept = survivors
        }
        let from = kept.map { science[$0.science].position }, to = kept.map { reference[$0.reference].position }
        let forward = PixelTransform.fit(from: from, to: to, order: order)!
        let inverse = PixelTransform.fit(from: to, to: from, order: order)!
        let rms = (zip(from, to).map { f, t in
            let m = forward.apply(f)
            return (m.x - t.x) * (m.x - t.x) + (m.y - t.y) * (m.y - t.y)
        }.reduce(0, +) / Double(kept.count)).squareRoot()
        return Registration(referenceToScience: inverse, scienceToReference: forward, pairs: kept, rmsPixels: rms)
    }
}
