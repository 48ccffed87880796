/// The seven stages of the chain, in chain order. Each takes items at one
/// progress status and leaves them at the next; ingest takes files instead.
///
/// The statuses are spelled as `observation_progress.status` holds them.
/// They are plain strings here so that this module needs nothing from the
/// database or imaging modules.
public enum StageKind: String, Sendable, CaseIterable, Codable, Comparable {
    case ingest, preprocess, difference, extract, embed, score, alert

    /// The status of the items this stage takes; nil for ingest, which takes
    /// files from a watched folder.
    public var inputStatus: String? {
        switch self {
        case .ingest: nil
        case .preprocess: "ingested"
        case .difference: "preprocessed"
        case .extract: "differenced"
        case .embed: "extracted"
        case .score: "embedded"
        case .alert: "scored"
        }
    }

    /// The status this stage leaves its items at.
    public var outputStatus: String {
        switch self {
        case .ingest: "ingested"
        case .preprocess: "preprocessed"
        case .difference: "differenced"
        case .extract: "extracted"
        case .embed: "embedded"
        case .score: "scored"
        case .alert: "alerted"
        }
    }

    /// The executable that runs this stage, e.g. `nocturne-preprocess`.
    public var executableName: String { "nocturne-\(rawValue)" }

    /// The position in the chain (ingest 0 … alert 6).
    public var position: Int { Self.allCases.firstIndex(of: self)! }

    /// Whether instances bind an input socket (every stage but ingest).
    public var takesInput: Bool { inputStatus != nil }

    public static func < (lhs: StageKind, rhs: StageKind) -> Bool { lhs.position < rhs.position }
}
