/// What a detection is, as `detections.detection_type` names it.
public enum DetectionType: String, CaseIterable, Sendable, Codable {
    /// Something new on the sky, away from any reference source's centre,
    /// seen in more than one epoch of the night (or on a star's wing).
    case transient
    /// A change on a point-like reference source (a variable star), or a
    /// fading of any reference source.
    case variable
    /// A brightening near an extended reference source (a galaxy) but
    /// offset from its centre: the signature of a supernova in its host.
    case supernovaLike = "supernova_like"
    /// No reference counterpart and not seen at this place in any other
    /// epoch of the night: something that moved.
    case moving
    /// An instrumental or subtraction artifact (cosmic ray, hot pixel, bad
    /// column, satellite trail), by the artifact classifier.
    case artifact
    /// Too uncertain to type (below the real/bogus threshold).
    case unknown
}

/// The rules that turn a scored candidate and its context into a
/// ``DetectionType``. Distances are in reference pixels; sizes are FWHM
/// over the reference catalogue's median (``CandidateInput/sizenr``).
public struct TypingRules: Codable, Sendable, Equatable {
    /// Artifact probability from which a candidate is an artifact [0.5].
    public var artifactProbability = 0.5
    /// Within this distance of a point-like reference source, a change is
    /// that source varying [1.5 px].
    public var variableRadius = 1.5
    /// A reference source at least this much wider than the median is
    /// extended, a possible host [1.3].
    public var hostSize = 1.3
    /// A host counts within this distance [15 px, the catalogue's search radius].
    public var hostRadius = 15.0
    /// Closer than this to a host's centre, the change is nuclear: typed
    /// variable (an active nucleus), not supernova-like [0.5 px].
    public var nuclearRadius = 0.5

    /// The defaults above.
    public init() {}

    /// The type of one candidate.
    /// - Parameters:
    ///   - confidence: real/bogus confidence, 0–1.
    ///   - artifact: artifact probability, 0–1.
    ///   - threshold: the confidence from which a candidate is a detection.
    ///   - seenElsewhere: whether another epoch of the same field in the same
    ///     night has a candidate at this position.
    public func type(_ c: CandidateInput, confidence: Double, artifact: Double, threshold: Double,
                     seenElsewhere: Bool) -> DetectionType {
        if artifact >= artifactProbability { return .artifact }
        guard confidence >= threshold else { return .unknown }
        let distance = c.distnr.isFinite ? c.distnr : .infinity
        let extended = c.sizenr.isFinite && c.sizenr >= hostSize
        if extended && distance <= hostRadius {
            return distance < nuclearRadius ? .variable : .supernovaLike
        }
        if distance <= variableRadius || (!c.isPositive && distance <= hostRadius) { return .variable }
        return seenElsewhere ? .transient : .moving
    }
}
