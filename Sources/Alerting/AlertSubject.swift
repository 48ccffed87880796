import Foundation

/// What a subject is: a scored candidate (detection and/or anomaly) or a
/// data-quality event about a whole observation.
public enum SubjectKind: String, Sendable, Codable, CaseIterable {
    case candidate
    case dataQuality = "data_quality"
}

/// One thing the alert stage asks the rules about: a scored candidate, or a
/// data-quality event for an observation.
///
/// Optional fields are the ones not always known (a data-quality event has no
/// position; a candidate that is not an anomaly has no severity). A rule leaf
/// that needs a missing field does not match (see ``Condition``).
/// Encoded with snake_case keys, the same names rules use.
public struct AlertSubject: Sendable, Codable, Equatable {
    /// `candidate` or `data_quality`.
    public var kind: SubjectKind
    /// The candidate's id; nil for data-quality events.
    public var candidateID: String?
    /// The observation the subject belongs to.
    public var observationID: String
    /// The pipeline run that produced it.
    public var runID: String
    /// The observation's DATE-OBS (UTC). `repeat` windows are measured on this clock.
    public var time: Date
    /// Right ascension, degrees (any value; normalised where needed).
    public var ra: Double?
    /// Declination, degrees in [-90, 90].
    public var dec: Double?
    /// Anomaly severity: `low|medium|high|critical`; nil when not an anomaly.
    public var severity: String?
    /// Detection type: `transient|variable|supernova_like|moving|artifact|unknown`.
    public var type: String?
    /// Real/bogus confidence, 0–1.
    public var confidence: Double?
    /// Signal-to-noise ratio of the detection.
    public var snr: Double?
    /// Magnitude (difference-image flux, survey zero point).
    public var mag: Double?
    /// Anomaly score divided by its threshold (> 1 means anomalous).
    public var ratio: Double?
    /// Anomaly score (map distance), model units.
    public var distance: Double?
    /// Anomaly threshold the score was compared with, model units.
    public var threshold: Double?
    /// Whether the anomaly model flagged it.
    public var isAnomaly: Bool
    /// Whether the real/bogus model calls it a real detection.
    public var isDetection: Bool
    /// Survey name.
    public var survey: String?
    /// Field name (pointing).
    public var field: String?
    /// Photometric filter.
    public var filter: String?
    /// For data-quality events: how many candidates the observation produced.
    public var candidateCount: Int?
    /// For data-quality events: why the observation is suspect (free text).
    public var reason: String?

    /// Makes a subject; everything not always known defaults to nil/false.
    public init(
        kind: SubjectKind = .candidate, candidateID: String? = nil, observationID: String, runID: String = "",
        time: Date, ra: Double? = nil, dec: Double? = nil, severity: String? = nil, type: String? = nil,
        confidence: Double? = nil, snr: Double? = nil, mag: Double? = nil, ratio: Double? = nil,
        distance: Double? = nil, threshold: Double? = nil, isAnomaly: Bool = false, isDetection: Bool = false,
        survey: String? = nil, field: String? = nil, filter: String? = nil, candidateCount: Int? = nil,
        reason: String? = nil
    ) {
        self.kind = kind
        self.candidateID = candidateID
        self.observationID = observationID
        self.runID = runID
        self.time = time
        self.ra = ra
        self.dec = dec
        self.severity = severity
        self.type = type
        self.confidence = confidence
        self.snr = snr
        self.mag = mag
        self.ratio = ratio
        self.distance = distance
        self.threshold = threshold
        self.isAnomaly = isAnomaly
        self.isDetection = isDetection
        self.survey = survey
        self.field = field
        self.filter = filter
        self.candidateCount = candidateCount
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case kind, time, ra, dec, severity, type, confidence, snr, mag, ratio, distance, threshold
        case survey, field, filter, reason
        case candidateID = "candidate_id"
        case observationID = "observation_id"
        case runID = "run_id"
        case isAnomaly = "is_anomaly"
        case isDetection = "is_detection"
        case candidateCount = "candidate_count"
    }

    /// A stable identity for "this subject": the candidate id, else the observation.
    /// Used so that seeing the same subject twice (a replay) is not counted twice.
    public var identity: String { candidateID.map { "cand:" + $0 } ?? "obs:" + observationID }

    /// The fields a rule may name, with their value type (used to validate rules).
    public static let ruleFields: [String: FieldType] = Dictionary(
        uniqueKeysWithValues: SubjectField.allCases.map { ($0.rawValue, $0.valueType) })

    /// The detection types the scoring stage emits; rules naming another type are refused.
    public static let knownTypes = ["transient", "variable", "supernova_like", "moving", "artifact", "unknown"]
}

/// The value type of a field a rule can test.
public enum FieldType: String, Sendable, Codable {
    /// A finite number; operators eq, ne, lt, lte, gt, gte, in, not_in, exists.
    case number
    /// Text; operators eq, ne, in, not_in, exists.
    case string
    /// An ``AlertSeverity`` name; operators eq, ne, in, not_in, at_least, at_most, exists.
    case severity
    /// true/false; operators eq, ne, exists.
    case bool
}

/// A subject field a rule may name, spelled as in rules.
public enum SubjectField: String, Sendable, Codable, CaseIterable {
    case severity, type, confidence, snr, mag, ratio, distance, threshold, survey, field, filter, kind
    case isAnomaly = "is_anomaly"
    case isDetection = "is_detection"
    case candidateCount = "candidate_count"

    /// The field's value type.
    public var valueType: FieldType {
        switch self {
        case .severity: .severity
        case .type, .survey, .field, .filter, .kind: .string
        case .isAnomaly, .isDetection: .bool
        case .confidence, .snr, .mag, .ratio, .distance, .threshold, .candidateCount: .number
        }
    }

    /// For enumerated string fields, the accepted values (typos in rules are refused).
    public var allowedValues: [String]? {
        switch self {
        case .type: AlertSubject.knownTypes
        case .kind: SubjectKind.allCases.map(\.rawValue)
        default: nil
        }
    }
}
