import Database
import Foundation

/// How a rule of a `--rules` folder was stored for a run.
public enum PinnedRule: Sendable, Equatable {
    /// Some version already had this content (the live one, or one an
    /// earlier replay stored); the run uses that row.
    case existing(version: Int, active: Bool)
    /// A new inactive version: only runs that pin it use it.
    case stored(version: Int)
}

extension PipelineStore {
    /// Pins a rule definition to `runID`: the row of any version of `name`
    /// with the same fingerprint, or a new inactive version. Audited when
    /// a version is made. Call inside the transaction that pins the set.
    public func pinRule(runID: UUID, name: String, description: String?, severity: String, condition: String,
                        routing: String, actions: String, definition: String, fingerprint: String, source: String,
                        actor: String) throws -> PinnedRule {
        let same = try connection.query(
            "SELECT id, version, active FROM alert_rules WHERE name = $1 AND fingerprint = $2 ORDER BY active DESC, version DESC LIMIT 1",
            [name, fingerprint]).first
        let id: UUID, pinned: PinnedRule
        if let same {
            id = try same.decode(UUID.self, "id")
            pinned = .existing(version: try same.decode(Int.self, "version"), active: try same.decode(Bool.self, "active"))
        } else {
            let version = try latestRuleVersion(name) + 1
            id = try connection.query(
                """
                INSERT INTO alert_rules (name, version, description, severity, condition, routing, actions, active, source,
                                         created_by, fingerprint, definition)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, false, $8, $9, $10, $11::jsonb) RETURNING id
                """, [name, version, description, severity, condition, routing, actions, source, actor, fingerprint,
                      definition])[0].decode(UUID.self, "id")
            try audit(actor: actor, action: "rule.version", entityType: "alert_rule", entityID: name,
                      details: JSONObject.text(["version": "\(version)", "source": source,
                                                "run": runID.uuidString.lowercased()]))
            pinned = .stored(version: version)
        }
        try connection.execute("INSERT INTO run_rules (run_id, rule_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [runID, id])
        return pinned
    }

    /// The rules pinned to `runID`, by name; empty when it uses the active
    /// rules.
    public func runRules(_ runID: UUID) throws -> [StoredRule] {
        try storedRules(where: "id IN (SELECT rule_id FROM run_rules WHERE run_id = $1)", [runID])
    }
}
