import Foundation

/// How the router names alerts and groups and what silences see of them.
enum RouterKeys {
    /// The dedup key for the first subject of an alert (see ``AlertKey``).
    static func dedupKey(rule: String, subject s: AlertSubject) -> String {
        if s.kind == .dataQuality { return "rule:\(rule):obs:\(s.observationID)" }
        if let ra = s.ra, let dec = s.dec, ra.isFinite, dec.isFinite {
            var micro = Int64((Sky.normalizedRA(ra) * 1e6).rounded())
            if micro >= 360_000_000 { micro -= 360_000_000 }
            let decMicro = Int64((dec * 1e6).rounded())
            return "rule:\(rule):pos:\(fixed6(micro)):\(decMicro < 0 ? "-" : "+")\(fixed6(abs(decMicro)))"
        }
        return "rule:\(rule):cand:\(s.candidateID ?? s.observationID)"
    }

    /// Millionths as fixed six-decimal text, without Foundation formatting (locale-free).
    static func fixed6(_ micro: Int64) -> String {
        let frac = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    /// `rule=<name>` then `|label=value` for each `group_by` label (sorted), rule itself implied.
    static func groupKey(rule: AlertRule, subject s: AlertSubject, severity: AlertSeverity, dedupKey: String) -> String
    {
        var key = "rule=" + escape(rule.name)
        for label in rule.groupBy where label != .rule {
            let value: String =
                switch label {
                case .rule: rule.name
                case .field: s.field ?? ""
                case .filter: s.filter ?? ""
                case .observation: s.observationID
                case .object: dedupKey
                case .type: s.type ?? ""
                case .severity: severity.rawValue
                }
            key += "|\(label.rawValue)=\(escape(value))"
        }
        return key
    }

    private static func escape(_ v: String) -> String {
        guard v.contains(where: { $0 == "%" || $0 == "|" || $0 == "=" }) else { return v }
        return v.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
            .replacingOccurrences(of: "=", with: "%3D")
    }

    /// What silence matchers see: rule fields (severity = the alert's),
    /// `rule`, `observation`, `candidate`. Empty values are left out.
    static func labels(subject s: AlertSubject, rule: String, severity: AlertSeverity) -> [String: String] {
        var l: [String: String] = [
            "rule": rule, "observation": s.observationID, "severity": severity.rawValue, "kind": s.kind.rawValue,
            "is_anomaly": String(s.isAnomaly), "is_detection": String(s.isDetection),
        ]
        let texts: [(String, String?)] = [
            ("candidate", s.candidateID), ("type", s.type), ("survey", s.survey), ("field", s.field),
            ("filter", s.filter),
        ]
        for case (let k, let v?) in texts where !v.isEmpty { l[k] = v }
        let numbers: [(String, Double?)] = [
            ("confidence", s.confidence), ("snr", s.snr), ("mag", s.mag), ("ratio", s.ratio), ("distance", s.distance),
            ("threshold", s.threshold), ("candidate_count", s.candidateCount.map(Double.init)),
        ]
        for case (let k, let v?) in numbers where v.isFinite { l[k] = JSONValue.number(v) }
        return l
    }
}
