import Database
import Foundation

/// One alert rule's stored definition (the active version).
public struct StoredRule: Sendable {
    public var id: UUID
    public var name: String, version: Int
    public var description: String?
    public var severity: String
    /// JSON texts, as `nocturne rules apply` canonicalized them.
    public var condition: String, routing: String, actions: String
    public var fingerprint: String?
    public var source: String?
    /// JSON text: the whole canonical rule, or nil for rules made before 0007.
    public var definition: String?
}

/// What applying one rule changed.
public enum RuleChange: Sendable, Equatable {
    case unchanged(version: Int)
    case created(version: Int)
    case updated(version: Int)
    case disabled(version: Int)
}

extension PipelineStore {
    /// Stores a rule definition: a new version (the old one deactivated)
    /// when its fingerprint changed, nothing when not; audited.
    public func applyRule(name: String, description: String?, severity: String, condition: String, routing: String,
                          actions: String, definition: String, fingerprint: String, source: String,
                          actor: String) throws -> RuleChange {
        try transaction { store in
            // Compared with the active version, not the newest: a replay's
            // `--rules` may have added inactive versions after it.
            let active = try store.connection.query(
                "SELECT version, fingerprint FROM alert_rules WHERE name = $1 AND active", [name]).first
            if let active, try active.decodeIfPresent(String.self, "fingerprint") == fingerprint {
                return .unchanged(version: try active.decode(Int.self, "version"))
            }
            let latest = try store.latestRuleVersion(name)
            try store.connection.execute("UPDATE alert_rules SET active = false WHERE name = $1 AND active", [name])
            try store.connection.execute(
                """
                INSERT INTO alert_rules (name, version, description, severity, condition, routing, actions, active, source,
                                         created_by, fingerprint, definition)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, true, $8, $9, $10, $11::jsonb)
                """, [name, latest + 1, description, severity, condition, routing, actions, source, actor, fingerprint,
                      definition])
            let change: RuleChange = latest == 0 ? .created(version: 1) : .updated(version: latest + 1)
            try store.audit(actor: actor, action: latest == 0 ? "rule.create" : "rule.update", entityType: "alert_rule",
                            entityID: name, details: JSONObject.text(["version": "\(latest + 1)", "source": source]))
            return change
        }
    }

    /// Deactivates active rules whose names are not in `keep` (rules whose
    /// file was removed, or set `enabled: false`); audited.
    public func disableRules(except keep: Set<String>, actor: String) throws -> [RuleChange] {
        let active = try connection.query("SELECT name, version FROM alert_rules WHERE active ORDER BY name")
        var changes: [RuleChange] = []
        for row in active {
            let name = try row.decode(String.self, "name"), version = try row.decode(Int.self, "version")
            guard !keep.contains(name) else { continue }
            try connection.execute("UPDATE alert_rules SET active = false WHERE name = $1 AND active", [name])
            try audit(actor: actor, action: "rule.disable", entityType: "alert_rule", entityID: name,
                      details: JSONObject.text(["version": "\(version)"]))
            changes.append(.disabled(version: version))
        }
        return changes
    }

    /// The active rules, by name.
    public func activeRules() throws -> [StoredRule] {
        try storedRules(where: "active", [])
    }

    func latestRuleVersion(_ name: String) throws -> Int {
        try connection.query("SELECT coalesce(max(version), 0) AS v FROM alert_rules WHERE name = $1", [name])[0]
            .decode(Int.self, "v")
    }

    static let ruleColumns = """
        SELECT id, name, version, description, severity, condition::text AS condition, routing::text AS routing,
               actions::text AS actions, fingerprint, source, definition::text AS definition FROM alert_rules
        """

    func storedRules(where condition: String, _ parameters: [(any PostgresEncodable)?]) throws -> [StoredRule] {
        try connection.query("\(Self.ruleColumns) WHERE \(condition) ORDER BY name", parameters).map { r in
            StoredRule(id: try r.decode(UUID.self, "id"), name: try r.decode(String.self, "name"),
                       version: try r.decode(Int.self, "version"), description: try r.decodeIfPresent(String.self, "description"),
                       severity: try r.decode(String.self, "severity"), condition: try r.decode(String.self, "condition"),
                       routing: try r.decode(String.self, "routing"), actions: try r.decode(String.self, "actions"),
                       fingerprint: try r.decodeIfPresent(String.self, "fingerprint"),
                       source: try r.decodeIfPresent(String.self, "source"),
                       definition: try r.decodeIfPresent(String.self, "definition"))
        }
    }

    /// A cheap token that changes whenever a rule is added, changed or
    /// disabled: the alert stage reloads its rules when it differs.
    public func rulesToken() throws -> String {
        try connection.query(
            "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') AS t FROM alert_rules WHERE active")[0]
            .decode(String.self, "t")
    }
}

/// A silence as stored.
public struct StoredSilence: Sendable {
    public var id: UUID
    /// JSON texts.
    public var matchers: String, region: String?
    public var startsAt: Date, endsAt: Date?
    public var untilAlertID: UUID?
    public var createdBy: String, comment: String
    public var expiredAt: Date?
}

extension PipelineStore {
    /// Creates a silence; audited. Returns its id.
    public func addSilence(matchers: String, region: String?, endsAt: Date?, untilAlertID: UUID?, createdBy: String,
                           comment: String) throws -> UUID {
        try transaction { store in
            let id = try store.connection.query(
                """
                INSERT INTO silences (matchers, region, ends_at, until_alert_id, created_by, comment)
                VALUES ($1::jsonb, $2::jsonb, $3::timestamptz, $4, $5, $6) RETURNING id
                """, [matchers, region, endsAt, untilAlertID, createdBy, comment])[0].decode(UUID.self, "id")
            try store.audit(actor: createdBy, action: "silence.create", entityType: "silence",
                            entityID: id.uuidString.lowercased(), details: JSONObject.text(["comment": comment]))
            return id
        }
    }

    /// Ends a silence now; audited. False when it was not live.
    @discardableResult
    public func expireSilence(_ id: UUID, by actor: String) throws -> Bool {
        try transaction { store in
            let changed = try store.connection.execute(
                "UPDATE silences SET expired_at = now(), expired_by = $2 WHERE id = $1 AND expired_at IS NULL", [id, actor]) == 1
            if changed {
                try store.audit(actor: actor, action: "silence.expire", entityType: "silence",
                                entityID: id.uuidString.lowercased())
            }
            return changed
        }
    }

    /// Silences that hold now: not expired, started, not past their end,
    /// and not tied to an alert that resolved.
    public func liveSilences(at now: Date = Date()) throws -> [StoredSilence] {
        try connection.query(
            """
            SELECT s.id, s.matchers::text AS matchers, s.region::text AS region, s.starts_at, s.ends_at, s.until_alert_id,
                   s.created_by, s.comment, s.expired_at
            FROM silences s LEFT JOIN alerts a ON a.id = s.until_alert_id
            WHERE s.expired_at IS NULL AND s.starts_at <= $1::timestamptz
              AND (s.ends_at IS NULL OR s.ends_at > $1::timestamptz)
              AND (s.until_alert_id IS NULL OR a.state NOT IN ('resolved', 'expired'))
            ORDER BY s.created_at, s.id
            """, [now]).map { r in
            StoredSilence(id: try r.decode(UUID.self, "id"), matchers: try r.decode(String.self, "matchers"),
                          region: try r.decodeIfPresent(String.self, "region"), startsAt: try r.decode(Date.self, "starts_at"),
                          endsAt: try r.decodeIfPresent(Date.self, "ends_at"),
                          untilAlertID: try r.decodeIfPresent(UUID.self, "until_alert_id"),
                          createdBy: try r.decode(String.self, "created_by"), comment: try r.decode(String.self, "comment"),
                          expiredAt: try r.decodeIfPresent(Date.self, "expired_at"))
        }
    }
}
