import Alerting
import Foundation
import Logging
import Store
import Testing
import TestSupport

@testable import Stages

/// Rules added, changed and disabled while an alert stage runs are what
/// its next item uses: the rule book recompiles when `alert_rules` changes.
@Suite("Rule reload")
struct RuleReloadTests {
    static func rule(_ name: String, snr: Int) -> String {
        """
          - name: \(name)
            severity: high
            when: {snr: {gte: \(snr)}}
            channels: [zeromq]

        """
    }

    /// A test database, its store, and an empty rules folder (the caller removes it).
    static func fixture() throws -> (TestDatabase, PipelineStore, URL) {
        let database = try TestDatabase.make()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (database, PipelineStore(connection: database.connection), folder)
    }

    @Test("a running rule book sees added, changed and disabled rules at the next item; a refused apply changes nothing")
    func reload() throws {
        let (database, store, folder) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.yaml")
        let book = RuleBook(), logger = Logger(label: "test")
        func apply(_ text: String) throws { try text.write(to: file, atomically: true, encoding: .utf8)
            _ = try RuleFiles.apply(folder, store: store, actor: "test") }
        func names() throws -> [String] { try book.rules(store: store, runID: UUID(), logger: logger).map { "\($0.rule.name) v\($0.version)" } }

        try apply("rules:\n" + Self.rule("a", snr: 5))
        #expect(try names() == ["a v1"])
        try apply("rules:\n" + Self.rule("a", snr: 5) + Self.rule("b", snr: 9))
        #expect(try names() == ["a v1", "b v1"])
        try apply("rules:\n" + Self.rule("a", snr: 7) + Self.rule("b", snr: 9))
        #expect(try names() == ["a v2", "b v1"])
        try apply("rules:\n" + Self.rule("b", snr: 9))
        #expect(try names() == ["b v1"])
        #expect(throws: RuleFileError.self) { try apply("rules:\n  - name: c\n    when: {snr: {gte: ten}}\n    channels: [zeromq]\n") }
        #expect(try names() == ["b v1"])
        let audit = try database.connection.query(
            "SELECT action FROM audit_log WHERE entity_type = 'alert_rule' ORDER BY id").map { try $0.decode(String.self, "action") }
        #expect(audit == ["rule.create", "rule.create", "rule.update", "rule.disable"])
    }

    @Test("a run with rules of its own uses exactly those; the live rules and later applies are untouched")
    func pinned() throws {
        let (database, store, folder) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.yaml")
        try ("rules:\n" + Self.rule("a", snr: 5) + Self.rule("b", snr: 9)).write(to: file, atomically: true, encoding: .utf8)
        _ = try RuleFiles.apply(folder, store: store, actor: "test")

        let replay = try store.createRun(kind: .replay, codeVersion: "test", config: "{}", night: nil, source: "test")
        let live = try store.createRun(kind: .replay, codeVersion: "test", config: "{}", night: nil, source: "test")
        let overlay = try RuleSet.parse(yaml: "rules:\n" + Self.rule("a", snr: 3) + Self.rule("b", snr: 9), source: "overlay")
        let pinned = try RuleFiles.pin(overlay, to: replay, store: store, actor: "test")
        #expect(pinned.map(\.pinned) == [.stored(version: 2), .existing(version: 1, active: true)])
        // Pinning the same content again reuses the stored version.
        let again = try store.createRun(kind: .replay, codeVersion: "test", config: "{}", night: nil, source: "test")
        #expect(try RuleFiles.pin(overlay, to: again, store: store, actor: "test").map(\.pinned)
                == [.existing(version: 2, active: false), .existing(version: 1, active: true)])

        let book = RuleBook(), logger = Logger(label: "test")
        func names(_ run: UUID) throws -> [String] { try book.rules(store: store, runID: run, logger: logger).map { "\($0.rule.name) v\($0.version)" } }
        #expect(try names(replay) == ["a v2", "b v1"])
        #expect(try names(live) == ["a v1", "b v1"])
        #expect(try store.activeRules().map { "\($0.name) v\($0.version)" } == ["a v1", "b v1"])
        // Re-applying the unchanged live files makes no version, though v2 now exists.
        let report = try RuleFiles.apply(folder, store: store, actor: "test")
        #expect(report.changes.map(\.change) == [.unchanged(version: 1), .unchanged(version: 1)])
        // A live change reaches live runs only; the next version number follows v2.
        try ("rules:\n" + Self.rule("a", snr: 6) + Self.rule("b", snr: 9)).write(to: file, atomically: true, encoding: .utf8)
        _ = try RuleFiles.apply(folder, store: store, actor: "test")
        #expect(try names(live) == ["a v3", "b v1"])
        #expect(try names(replay) == ["a v2", "b v1"])
        let audit = try database.connection.query(
            "SELECT action FROM audit_log WHERE entity_type = 'alert_rule' ORDER BY id").map { try $0.decode(String.self, "action") }
        #expect(audit == ["rule.create", "rule.create", "rule.version", "rule.update"])
    }
}
