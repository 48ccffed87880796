/// The ordered severity scale shared by anomalies and alerts:
/// `low < medium < high < critical`.
///
/// Rules compare severities by this order (`at_least`, `at_most`), never by
/// spelling, so a typo in a rule is refused instead of silently never matching.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    /// Position on the scale: 0 for `low` up to 3 for `critical`.
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    /// Orders by ``rank``.
    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }

    /// The names in order, for error messages.
    static let namesInOrder = allCases.map(\.rawValue).joined(separator: "|")
}
