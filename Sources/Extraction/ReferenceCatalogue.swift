import Imaging

/// The reference image's sources, indexed for the two questions a candidate
/// asks of them: which is the nearest (`distnr`, `magnr`), and is a bright
/// one close (``CandidateFlags/nearBrightStar``).
struct ReferenceCatalogue {
    private let stars: [Star]
    private let all: SpatialGrid
    private let bright: SpatialGrid
    private let searchRadius: Double
    private let brightRadius: Double
    private let zeroPoint: Double?
    /// Median FWHM of the sources with converged moments, pixels: the unit
    /// of ``nearest(to:)``'s size.
    private let medianFWHM: Double

    /// - Parameters:
    ///   - stars: sources on the reference grid, fluxes in reference units.
    ///   - brightFluxLimit: stars at least this bright count as bright; nil
    ///     for none.
    ///   - brightRadius: the ``CandidateFlags/nearBrightStar`` radius, pixels.
    init(stars: [Star], searchRadius: Double, brightFluxLimit: Double?, brightRadius: Double, zeroPoint: Double?) {
        self.stars = stars
        self.searchRadius = searchRadius
        self.brightRadius = brightRadius
        self.zeroPoint = zeroPoint
        let widths = stars.map(\.fwhm).filter { $0.isFinite && $0 > 0 }.sorted()
        medianFWHM = widths.isEmpty ? .nan : widths[widths.count / 2]
        all = SpatialGrid(points: stars.map(\.position), cellSize: max(1, searchRadius))
        let bright = brightFluxLimit.map { limit in stars.filter { $0.flux >= limit } } ?? []
        self.bright = SpatialGrid(points: bright.map(\.position), cellSize: max(1, brightRadius))
    }

    /// Distance in pixels to the nearest star within the search radius, its
    /// magnitude (NaN without a zero point) and its FWHM over the catalogue's
    /// median (NaN without moments); all NaN if there is none.
    func nearest(to point: PixelPoint) -> (distance: Double, magnitude: Double, size: Double) {
        guard searchRadius > 0, let index = all.nearest(to: point, within: searchRadius) else { return (.nan, .nan, .nan) }
        let star = stars[index]
        let dx = star.position.x - point.x, dy = star.position.y - point.y
        return ((dx * dx + dy * dy).squareRoot(), Photometry.magnitude(flux: star.flux, zeroPoint: zeroPoint),
                star.fwhm / medianFWHM)
    }

    /// Whether a bright star lies within the bright-star radius.
    func isNearBrightStar(_ point: PixelPoint) -> Bool {
        brightRadius > 0 && bright.nearest(to: point, within: brightRadius) != nil
    }
}
