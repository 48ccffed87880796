import Alerting
import Configuration
import Foundation
import Logging
import Store
import Synchronization

/// Rule files: `config/rules/*.yaml` parsed, validated as a whole, and
/// applied to `alert_rules` (a new version only for a rule whose content
/// changed; rules no longer in the files, or `enabled: false`, disabled).
public enum RuleFiles {
    /// What applying changed, per rule name.
    public struct Report: Sendable {
        public var changes: [(name: String, change: RuleChange)] = []
    }

    /// Every rule of the folder's `*.yaml` files (sorted by file name).
    /// - Throws: ``RuleFileError`` listing every fault, each naming the file,
    ///   rule and key; nothing is applied when any file is at fault.
    public static func load(_ directory: URL) throws -> [AlertRule] {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw RuleFileError(faults: ["\(directory.path): no *.yaml rule files"]) }
        var rules: [AlertRule] = [], faults: [String] = []
        for file in files {
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                faults.append("\(file.path): cannot be read: \(error)")
                continue
            }
            let errors = RuleSet.validate(yaml: text, source: file.path)
            if !errors.isEmpty {
                faults += errors.map { "\(file.lastPathComponent): \($0)" }
                continue
            }
            rules += (try? RuleSet.parse(yaml: text, source: file.path)) ?? []
        }
        do { _ = try RuleSet(rules) } catch { faults.append("\(error)") }
        guard faults.isEmpty else { throw RuleFileError(faults: faults) }
        return rules
    }

    /// Loads the folder and applies it; audited as `actor`.
    public static func apply(_ directory: URL, store: PipelineStore, actor: String) throws -> Report {
        let rules = try load(directory)
        return try store.transaction { store in
            var report = Report()
            var keep = Set<String>()
            for rule in rules where rule.enabled {
                keep.insert(rule.name)
                let change = try store.applyRule(
                    name: rule.name, description: rule.description, severity: storedSeverity(rule), condition: rule.conditionJSON,
                    routing: rule.routingJSON, actions: rule.actionsJSON, definition: rule.canonicalJSON,
                    fingerprint: rule.fingerprint, source: rule.source, actor: actor)
                report.changes.append((rule.name, change))
            }
            let active = try store.activeRules().map(\.name)
            for (name, change) in zip(active.filter { !keep.contains($0) }, try store.disableRules(except: keep, actor: actor)) {
                report.changes.append((name, change))
            }
            return report
        }
    }

    /// `alert_rules.severity`: the rule's level, or `low` (the floor) for
    /// `from_anomaly`, whose alerts take their anomaly's severity.
    static func storedSeverity(_ rule: AlertRule) -> String {
        ["low", "medium", "high", "critical"].contains(rule.severity.name) ? rule.severity.name : "low"
    }

    /// The rules folder the `alert:` section names, under the config folder.
    public static func directory(_ settings: AlertSettings) throws -> URL {
        if settings.rulesDirectory.hasPrefix("/") { return URL(fileURLWithPath: settings.rulesDirectory, isDirectory: true) }
        return try ResourceLocator.configDirectory().appendingPathComponent(settings.rulesDirectory, isDirectory: true)
    }
}

/// Rule files at fault, every fault named.
public struct RuleFileError: Error, CustomStringConvertible {
    public var faults: [String]
    public var description: String { "rules refused, nothing applied:\n  " + faults.joined(separator: "\n  ") }
}

/// A compiled active rule with its row.
struct ActiveRule: Sendable {
    var rule: AlertRule
    var id: UUID
    var version: Int
}

/// The active rules, recompiled only when `alert_rules` changed (a cheap
/// token query per item), so `nocturne rules apply` takes effect at the
/// next item without a restart.
final class RuleBook: Sendable {
    private let cached = Mutex<(token: String, rules: [ActiveRule])?>(nil)

    func rules(store: PipelineStore, logger: Logger) throws -> [ActiveRule] {
        let token = try store.rulesToken()
        if let c = cached.withLock({ $0 }), c.token == token { return c.rules }
        var compiled: [ActiveRule] = []
        for stored in try store.activeRules() {
            guard let definition = stored.definition else {
                logger.warning("alert rule \(stored.name) v\(stored.version) predates rule files; apply config/rules")
                continue
            }
            do {
                let rule = try RuleSet.parse(yaml: "{\"rules\": [\(definition)]}", source: stored.source ?? "alert_rules")
                if let rule = rule.first { compiled.append(ActiveRule(rule: rule, id: stored.id, version: stored.version)) }
            } catch {
                logger.error("alert rule \(stored.name) v\(stored.version) cannot be compiled: \(error)")
            }
        }
        logger.info("alert rules loaded: \(compiled.map { "\($0.rule.name) v\($0.version)" }.joined(separator: ", "))")
        cached.withLock { $0 = (token, compiled) }
        return compiled
    }
}
