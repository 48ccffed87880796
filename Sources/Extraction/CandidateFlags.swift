/// What may be wrong with a candidate, in the spirit of SExtractor's FLAGS:
/// the first four bits mean what SExtractor's do, so the values read the
/// same to anyone who knows its catalogues.
///
/// Flags never remove a candidate; they are for the classifier and the
/// filters downstream. Stored as the integer `flags` column.
public struct CandidateFlags: OptionSet, Sendable, Hashable, Codable {
    /// The bits as stored in the `flags` column.
    public let rawValue: Int
    /// Flags from a stored integer.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// 1: masked pixels nearby: `nbad > 0`, i.e. a pixel of the 5×5 box
    /// around the candidate carries any bit of the merged mask (including
    /// `.interpolated` and the `.edge` and `.nearDefect` zones) or lies off the image.
    public static let badPixels = CandidateFlags(rawValue: 1)
    /// 2: the candidate's S_corr segment held more than one source after
    /// deblending.
    public static let blended = CandidateFlags(rawValue: 2)
    /// 4: a pixel marked `.saturated` in the new or the reference image lies
    /// in the 5×5 box or within ``ExtractionParameters/saturationRadiusInFWHM``
    /// of the position.
    public static let saturated = CandidateFlags(rawValue: 4)
    /// 8: the stamp is truncated: part of it lies off the image or on
    /// `.noData` pixels of the merged mask.
    public static let edge = CandidateFlags(rawValue: 8)
    /// 16: a negative candidate: the source got fainter in the new image.
    public static let negative = CandidateFlags(rawValue: 16)
    /// 32: within ``ExtractionParameters/brightStarRadiusInFWHM`` of a
    /// reference star at least as bright as the configured limit
    /// (``ExtractionParameters/brightStarFlux`` or ``ExtractionParameters/brightStarMagnitude``).
    public static let nearBrightStar = CandidateFlags(rawValue: 32)
}
