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

    @Test("a running rule book sees added, changed and disabled rules at the next item; a refused apply changes nothing")
    func reload() throws {
        let database = try TestDatabase.make()
        let store = PipelineStore(connection: database.connection)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.yaml")
        let book = RuleBook(), logger = Logger(label: "test")
        func apply(_ text: String) throws { try text.write(to: file, atomically: true, encoding: .utf8)
            _ = try RuleFiles.apply(folder, store: store, actor: "test") }
        func names() throws -> [String] { try book.rules(store: store, logger: logger).map { "\($0.rule.name) v\($0.version)" } }

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
}
