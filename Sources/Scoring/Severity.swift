/// How unusual an anomaly is, from the ratio of its score's excess over the
/// baseline median to the threshold's (``AnomalyModel``): 1 at the
/// threshold, 2 twice as far out.
public enum Severity: String, CaseIterable, Sendable, Codable, Comparable {
    case low, medium, high, critical

    /// nil below 1; low below 1.5; medium below 2; high below 3; else critical.
    public static func of(ratio: Double) -> Severity? {
        guard ratio.isFinite else { return ratio == .infinity ? .critical : nil }
        switch ratio {
        case ..<1: return nil
        case ..<1.5: return .low
        case ..<2: return .medium
        case ..<3: return .high
        default: return .critical
        }
    }

    /// Order: low < medium < high < critical.
    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
