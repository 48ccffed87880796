import Imaging
import WCS

/// What one extraction found, and what it threw away and why. A value: it
/// owns its candidates and their stamps, which share no storage with the
/// inputs.
public struct ExtractionOutput: Sendable {
    /// The candidates in their stable order (see ``Candidate/index``).
    public var candidates: [Candidate]
    /// Above-threshold peaks that did not become candidates, by cause.
    public var rejections: RejectionSummary
    /// FWHM of the difference PSF P_D in pixels, by adaptive moments like the
    /// candidates' own (so a point source has `fwhmRatio` ≈ 1): the unit of
    /// every "in FWHM" parameter.
    public var differencePSFFWHM: Double
    /// Set when the WCS could not convert the batch at all; every ra/dec is
    /// then NaN. Single unconvertible positions only get NaN.
    public var skyConversionError: WCSError?
}

/// Counts of above-threshold peaks dropped before measurement, one cause per
/// peak, so the benchmark can attribute false candidates it never saw.
///
/// A peak whose pixel has several rejecting bits is counted once, under the
/// first cause in this order: no data, saturated, trail, edge zone, other
/// mask. A segment smaller than the minimum area counts as one peak.
public struct RejectionSummary: Sendable, Equatable, Codable {
    /// The peak pixel is `.noData` in the merged mask.
    public var noData = 0
    /// The peak pixel is `.saturated`.
    public var saturated = 0
    /// The peak pixel is on a satellite or aircraft `.trail`.
    public var trail = 0
    /// The peak pixel is in the `.edge` zone along the image border.
    public var edge = 0
    /// The peak pixel is `.nearDefect`: in the ring around a saturated core,
    /// a no-data region or a repaired defect, where residuals ring.
    public var nearDefect = 0
    /// Any other rejecting bit: a configured extra bit, or an unrepaired
    /// defect that subtraction zeroed (`needsZeroing`).
    public var otherMask = 0
    /// Segments with fewer pixels than ``ExtractionParameters/minimumArea``.
    public var belowMinimumArea = 0

    /// An empty summary.
    public init() {}

    /// All peaks dropped.
    public var total: Int { noData + saturated + trail + edge + nearDefect + otherMask + belowMinimumArea }

    /// Counts one peak rejected on a pixel with `bits`, of which `rejecting`
    /// are the bits the parameters reject on (a bit that is present but not
    /// rejected on is not the cause).
    mutating func count(_ bits: MaskBits, rejecting: MaskBits) {
        let causes = bits.intersection(rejecting)
        if causes.contains(.noData) {
            noData += 1
        } else if causes.contains(.saturated) {
            saturated += 1
        } else if causes.contains(.trail) {
            trail += 1
        } else if causes.contains(.edge) {
            edge += 1
        } else if causes.contains(.nearDefect) {
            nearDefect += 1
        } else {
            otherMask += 1
        }
    }
}
