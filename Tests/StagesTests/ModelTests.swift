import Foundation
import Testing

@testable import Stages

@Suite("First-version models")
struct ModelTests {
    @Test("Jacobi recovers the eigenpairs of a rotated diagonal matrix")
    func eigen() {
        // R diag(5, 2, 0.5) Rᵀ with a rotation about z by 30°.
        let c = cos(Double.pi / 6), s = sin(Double.pi / 6)
        let r = [[c, -s, 0], [s, c, 0], [0, 0, 1.0]], d = [5.0, 2, 0.5]
        let m = (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0.0) { $0 + r[i][$1] * d[$1] * r[j][$1] } } }
        let (values, vectors) = SymmetricEigen.decompose(m)
        #expect(zip(values, d).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(abs(vectors[0][0]) - c) < 1e-12 && abs(abs(vectors[0][1]) - s) < 1e-12)
        #expect(vectors.allSatisfy { v in abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12 })
    }

    @Test("a PCA map puts the baseline inside its threshold and a far point outside, and names the feature")
    func pca() {
        var generator = SystemRandomNumberGenerator()
        let rows = (0..<400).map { _ in (0..<4).map { _ in Double.random(in: -1...1, using: &generator) } }
        let ids = rows.indices.map { _ in UUID() }
        let model = PCAModel.fit(rows: rows, ids: ids, features: ["a", "b", "c", "d"], lowdim: 2, quantile: 0.99)
        let inside = rows.filter { model.scores($0).distance <= model.distanceThreshold }.count
        #expect(Double(inside) / Double(rows.count) >= 0.98)
        let far = [0.0, 0, 25, 0]
        let s = model.scores(far)
        #expect(max(s.distance / model.distanceThreshold, s.residual / model.residualThreshold) > 3)
        #expect(model.topFeatures(far, count: 1).first?.name == "c")
        #expect(model.analogs(model.project(rows[7]), k: 1) == [ids[7]])
    }

    @Test("stable ids are valid, repeatable and distinct")
    func stableIDs() {
        let a = StableID.make("run/obs/1"), b = StableID.make("run/obs/1"), c = StableID.make("run/obs/2")
        #expect(a == b && a != c)
        #expect(a.uuidString.lowercased().dropFirst(14).first == "8")
    }

    @Test("severity follows the ratio to the threshold")
    func severity() {
        #expect(Severity.of(ratio: 0.99) == nil)
        #expect(Severity.of(ratio: 1.2) == "low")
        #expect(Severity.of(ratio: 1.7) == "medium")
        #expect(Severity.of(ratio: 2.5) == "high")
        #expect(Severity.of(ratio: 7) == "critical")
    }

    @Test("settings refuse bad values, naming the key")
    func settings() throws {
        var alert = AlertSettings()
        alert.minimumSeverity = "loud"
        #expect(throws: (any Error).self) { try alert.validate() }
        var embed = EmbedSettings()
        embed.lowdim = 0
        #expect(throws: (any Error).self) { try embed.validate() }
        #expect(AlertSettings().alerting == ["high", "critical"])
    }
}
