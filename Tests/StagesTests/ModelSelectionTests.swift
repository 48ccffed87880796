import Configuration
import Foundation
import Logging
import Store
import Testing
import TestSupport

@testable import Stages

/// `models:` pins a registry model instead of the active one, so a replay
/// can reprocess a night with a new model the live pipeline does not use.
@Suite("Model selection")
struct ModelSelectionTests {
    struct Toy: Codable, Sendable { var n: Int }

    @Test("a pinned model is used whatever is active; a missing or wrong-kind model is refused naming the key")
    func pinned() throws {
        let database = try TestDatabase.make()
        let store = PipelineStore(connection: database.connection)
        func save(_ name: String, kind: String, n: Int, activate: Bool) throws -> UUID {
            try store.saveModel(name: name, kind: kind, parameters: "{}", metrics: "{}", training: "{}",
                                artifact: try JSONEncoder().encode(Toy(n: n)), createdBy: "test", activate: activate).id
        }
        _ = try save("live", kind: "embedding", n: 1, activate: true)
        let candidate = try save("candidate", kind: "embedding", n: 2, activate: false)
        let classifier = try save("rb", kind: "real_bogus", n: 3, activate: false)
        let logger = Logger(label: "test")

        #expect(try ActiveModelCache<Toy>(kind: "embedding").active(store: store, logger: logger)?.model.n == 1)
        let pinned = ActiveModelCache<Toy>(kind: "embedding", pinned: (candidate, "models.embedding"))
        #expect(try pinned.active(store: store, logger: logger)?.model.n == 2)
        #expect(try pinned.active(store: store, logger: logger)?.label == "candidate v1")

        let wrongKind = ActiveModelCache<Toy>(kind: "embedding", pinned: (classifier, "models.embedding"))
        let kindError = #expect(throws: StageError.self) { try wrongKind.active(store: store, logger: logger) }
        #expect("\(kindError.map { "\($0)" } ?? "")".contains("models.embedding: model"), "\(String(describing: kindError))")
        let missing = ActiveModelCache<Toy>(kind: "embedding", pinned: (UUID(), "models.embedding"))
        let missingError = #expect(throws: StageError.self) { try missing.active(store: store, logger: logger) }
        #expect("\(missingError.map { "\($0)" } ?? "")".contains("no model"))
    }

    @Test("the models section reads ids, empty means the active model, and a malformed id names its key")
    func section() throws {
        var document = ConfigDocument()
        try document.overlay(yaml: "models:\n  embedding: \"\"\n  real_bogus: \"\"\n", source: "test")
        #expect(try document.section(ModelSelection.self, at: "models") == ModelSelection())
        let id = UUID()
        try document.set("models.embedding", to: id.uuidString)
        #expect(try document.section(ModelSelection.self, at: "models").embedding == id)
        try document.set("models.real_bogus", to: "v3")
        let error = #expect(throws: (any Error).self) { try document.section(ModelSelection.self, at: "models") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("real_bogus"))
    }
}
