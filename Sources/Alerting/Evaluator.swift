/// A subject with the values rules need precomputed once: its severity rank
/// and its position as a unit vector. The alert stage prepares each subject
/// once and evaluates every rule against it, so no rule repeats that work.
public struct PreparedSubject: Sendable {
    /// The subject as received.
    public let subject: AlertSubject
    /// 0…3 for low…critical; -1 when missing or not a severity name.
    let severityRank: Int
    /// Unit vector of (ra, dec); nil when either is missing.
    let vector: SkyVector?

    /// Prepares `subject` for evaluation.
    public init(_ subject: AlertSubject) {
        self.subject = subject
        severityRank = subject.severity.flatMap(AlertSeverity.init(rawValue:))?.rank ?? -1
        if let ra = subject.ra, let dec = subject.dec, ra.isFinite, dec.isFinite {
            vector = SkyVector(ra: ra, dec: dec)
        } else {
            vector = nil
        }
    }

    @inline(__always) func number(_ f: NumberField) -> Double? {
        switch f {
        case .confidence: subject.confidence
        case .snr: subject.snr
        case .mag: subject.mag
        case .ratio: subject.ratio
        case .distance: subject.distance
        case .threshold: subject.threshold
        case .candidateCount: subject.candidateCount.map(Double.init)
        }
    }

    @inline(__always) func string(_ f: StringField) -> String? {
        switch f {
        case .type: subject.type
        case .survey: subject.survey
        case .field: subject.field
        case .filter: subject.filter
        case .kind: subject.kind.rawValue
        }
    }

    @inline(__always) func bool(_ f: BoolField) -> Bool {
        switch f {
        case .isAnomaly: subject.isAnomaly
        case .isDetection: subject.isDetection
        }
    }

    func has(_ f: SubjectField) -> Bool {
        switch f {
        case .severity: return severityRank >= 0
        case .isAnomaly, .isDetection: return true
        default:
            if let n = NumberField(f) { return number(n) != nil }
            if let s = StringField(f) { return string(s) != nil }
            return true
        }
    }
}

enum NumberField: Sendable {
    case confidence, snr, mag, ratio, distance, threshold, candidateCount
    init?(_ f: SubjectField) {
        switch f {
        case .confidence: self = .confidence
        case .snr: self = .snr
        case .mag: self = .mag
        case .ratio: self = .ratio
        case .distance: self = .distance
        case .threshold: self = .threshold
        case .candidateCount: self = .candidateCount
        default: return nil
        }
    }
}

enum StringField: Sendable {
    case type, survey, field, filter, kind
    init?(_ f: SubjectField) {
        switch f {
        case .type: self = .type
        case .survey: self = .survey
        case .field: self = .field
        case .filter: self = .filter
        case .kind: self = .kind
        default: return nil
        }
    }
}

enum BoolField: Sendable {
    case isAnomaly, isDetection
}

enum NumberOp: Sendable { case eq, ne, lt, lte, gt, gte }

/// The evaluable form of a ``Condition``: fields resolved to typed
/// accessors, severities to bit masks, string sets to `Set`s when large,
/// regions to precomputed vectors. Built once at parse time; evaluation does
/// no name lookups and allocates nothing.
indirect enum CompiledCondition: Sendable {
    case all([CompiledCondition])
    case any([CompiledCondition])
    case not(CompiledCondition)
    case number(NumberField, NumberOp, Double)
    case numberIn([Double], NumberField, negated: Bool)
    case string(StringField, String, negated: Bool)
    case stringSet(Set<String>, StringField, negated: Bool)
    /// Bit `rank` set for each accepted severity.
    case severity(mask: Int)
    case bool(BoolField, Bool)
    case exists(SubjectField, Bool)
    case cone(SkyCone)
    case watchlist(Watchlist)

    /// Whether the prepared subject satisfies this node.
    func matches(_ p: PreparedSubject) -> Bool {
        switch self {
        case .all(let cs):
            for c in cs where !c.matches(p) { return false }
            return true
        case .any(let cs):
            for c in cs where c.matches(p) { return true }
            return false
        case .not(let c): return !c.matches(p)
        case .number(let f, let op, let v):
            guard let x = p.number(f) else { return false }
            switch op {
            case .eq: return x == v
            case .ne: return x != v
            case .lt: return x < v
            case .lte: return x <= v
            case .gt: return x > v
            case .gte: return x >= v
            }
        case .numberIn(let vs, let f, let negated):
            guard let x = p.number(f) else { return false }
            return vs.contains(x) != negated
        case .string(let f, let v, let negated):
            guard let x = p.string(f) else { return false }
            return (x == v) != negated
        case .stringSet(let vs, let f, let negated):
            guard let x = p.string(f) else { return false }
            return vs.contains(x) != negated
        case .severity(let mask):
            return p.severityRank >= 0 && mask & (1 << p.severityRank) != 0
        case .bool(let f, let v): return p.bool(f) == v
        case .exists(let f, let v): return p.has(f) == v
        case .cone(let c):
            guard let v = p.vector else { return false }
            return c.contains(v)
        case .watchlist(let w):
            guard let v = p.vector, let dec = p.subject.dec else { return false }
            return w.contains(v, dec: dec)
        }
    }

    /// Regions cost more than scalar tests, so they go last in `all`/`any`
    /// (evaluation short-circuits; order does not change the result).
    var isRegion: Bool {
        switch self {
        case .cone, .watchlist: true
        default: false
        }
    }
}
