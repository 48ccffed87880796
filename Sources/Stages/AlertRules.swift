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

    /// Loads the folder and pins it to `runID` (`nocturne replay --rules`):
    /// each rule as a version of its name (an existing row with the same
    /// content, or a new inactive one), so the run uses exactly these rules
    /// and the live rules stay as they are. `enabled: false` rules are left
    /// out. Audited as `actor`.
    public static func pin(_ rules: [AlertRule], to runID: UUID, store: PipelineStore,
                           actor: String) throws -> [(name: String, pinned: PinnedRule)] {
        try store.transaction { store in
            try rules.filter(\.enabled).map { rule in
                (rule.name, try store.pinRule(
                    runID: runID, name: rule.name, description: rule.description, severity: storedSeverity(rule),
                    condition: rule.conditionJSON, routing: rule.routingJSON, actions: rule.actionsJSON,
                    definition: rule.canonicalJSON, fingerprint: rule.fingerprint, source: rule.source, actor: actor))
            }
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

/// The rules a run uses: those pinned to it (`replay --rules`), which never
/// change, or else the active rules, recompiled only when `alert_rules`
/// changed (a cheap token query per item), so `nocturne rules apply` takes
/// effect at the next item without a restart.
final class RuleBook: Sendable {
    private let cached = Mutex<(token: String, rules: [ActiveRule])?>(nil)
    /// Per run: its pinned rules, or nil when it has none.
    private let pinned = Mutex<[UUID: [ActiveRule]?]>([:])

    func rules(store: PipelineStore, runID: UUID, logger: Logger) throws -> [ActiveRule] {
        try pinnedRules(store: store, runID: runID, logger: logger) ?? activeRules(store: store, logger: logger)
    }

    /// The rules pinned to `runID`, or nil when it uses the active ones.
    /// Read once per run: a replay pins its rules before it starts.
    func pinnedRules(store: PipelineStore, runID: UUID, logger: Logger) throws -> [ActiveRule]? {
        if let known = pinned.withLock({ $0[runID] }) { return known }
        let stored = try store.runRules(runID)
        let compiled = stored.isEmpty ? nil : Self.compile(stored, logger: logger)
        if let compiled { logger.info("run \(runID.uuidString.lowercased()) uses its own rules: \(Self.names(compiled))") }
        pinned.withLock { $0[runID] = .some(compiled) }
        return compiled
    }

    private func activeRules(store: PipelineStore, logger: Logger) throws -> [ActiveRule] {
        let token = try store.rulesToken()
        if let c = cached.withLock({ $0 }), c.token == token { return c.rules }
        let compiled = Self.compile(try store.activeRules(), logger: logger)
        logger.info("alert rules loaded: \(Self.names(compiled))")
        cached.withLock { $0 = (token, compiled) }
        return compiled
    }

    private static func names(_ rules: [ActiveRule]) -> String {
        rules.map { "\($0.rule.name) v\($0.version)" }.joined(separator: ", ")
    }

    private static func compile(_ rows: [StoredRule], logger: Logger) -> [ActiveRule] {
        var compiled: [ActiveRule] = []
        for stored in rows {
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
        return compiled
    }
}
