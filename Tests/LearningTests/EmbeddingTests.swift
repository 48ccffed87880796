import Foundation
import Testing

@testable import Learning

/// A seeded generator for test data, so every run sees the same rows.
private struct TestNoise {
    var state: UInt64

    mutating func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1p-53
    }

    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// Three well-separated clusters in `dimension` columns. Each is a flat 2-D Gaussian sheet
/// (spread 3) in its own random plane, plus isotropic noise 0.3, so that its points have
/// neighbours a 2-D map can keep. Rows cycle through the clusters; `labels[i]` is row i's.
private func threeClusters(perCluster: Int, dimension: Int = 50, seed: UInt64) -> (rows: [[Double]], labels: [Int]) {
    var layout = TestNoise(state: 77)
    var centres: [[Double]] = [], planes: [[[Double]]] = []
    let unit = 1 / Double(dimension).squareRoot()
    for _ in 0..<3 {
        centres.append((0..<dimension).map { _ in layout.normal() * 5 })
        planes.append((0..<2).map { _ in (0..<dimension).map { _ in layout.normal() * unit } })
    }
    var noise = TestNoise(state: seed)
    var rows: [[Double]] = [], labels: [Int] = []
    for i in 0..<(3 * perCluster) {
        let c = i % 3, s = noise.normal() * 3, t = noise.normal() * 3
        rows.append((0..<dimension).map { centres[c][$0] + s * planes[c][0][$0] + t * planes[c][1][$0] + 0.3 * noise.normal() })
        labels.append(c)
    }
    return (rows, labels)
}

private func decodeParameters(_ json: String) throws -> DInsightParameters {
    try JSONDecoder().decode(DInsightParameters.self, from: Data(json.utf8))
}

/// The `LearningError` that decoding `json` throws (fails the test if it throws none or
/// another error).
private func decodingError(_ json: String) -> LearningError? {
    do {
        _ = try decodeParameters(json)
        Issue.record("decoding \(json) should have failed")
    } catch let error as LearningError {
        return error
    } catch {
        Issue.record("expected a LearningError, got \(error)")
    }
    return nil
}

@Suite("DInsight parameters")
struct DInsightParameterTests {
    @Test func emptyObjectGivesTheDocumentedDefaults() throws {
        let p = try decodeParameters("{}")
        #expect(p == DInsightParameters())
        #expect(p.gamma0 == 1e-7 && p.optimizer == .adam && p.alpha == 0.1 && p.imax == 1000 && p.lowdim == 2)
        #expect(p.eta == 0.5 && p.epsilon == 1e-8 && p.beta1 == 0.9 && p.beta2 == 0.999 && p.beta == 0.5)
        #expect(p.a == 0.8 && p.w1 == 0.04 && p.w2 == 1 && p.whichW1 == .auto && p.mode == .quantile)
        #expect(p.paramMode == 0.3 && p.startDim == 0 && p.endDim == 16)
    }

    @Test func snakeCaseKeysAreRead() throws {
        let p = try decodeParameters(
            #"{"optimizer": "sgd", "eta": 0.2, "beta": 0.3, "which_w1": "fixed", "mode": "fixed", "param_mode": 2.5, "#
                + #""start_dim": 1, "end_dim": 9, "lowdim": 3}"#)
        #expect(p.optimizer == .sgd && p.eta == 0.2 && p.beta == 0.3 && p.whichW1 == .fixed)
        #expect(p.mode == .fixed && p.paramMode == 2.5 && p.startDim == 1 && p.endDim == 9 && p.lowdim == 3)
    }

    @Test func unknownKeyIsRefusedByName() {
        let error = decodingError(#"{"gama0": 1e-6}"#)
        #expect(error?.key == "gama0")
        #expect(error?.description.contains("gama0") == true)
    }

    @Test func sgdParameterWithAdamIsRefused() {
        let error = decodingError(#"{"eta": 0.3}"#)
        #expect(error?.key == "eta")
        #expect(error?.message.contains("optimizer is adam, which does not use it") == true)
    }

    @Test func adamParameterWithSGDIsRefused() {
        let error = decodingError(#"{"optimizer": "sgd", "alpha": 0.1}"#)
        #expect(error?.key == "alpha")
        #expect(error?.message.contains("optimizer is sgd") == true)
    }

    @Test(arguments: ["0", "11"])
    func lowdimOutOfRangeIsRefusedByName(_ value: String) {
        #expect(decodingError(#"{"lowdim": \#(value)}"#)?.key == "lowdim")
    }

    @Test func otherRangesAndTypesAreChecked() {
        #expect(decodingError(#"{"imax": "many"}"#)?.key == "imax")
        #expect(decodingError(#"{"beta2": 1}"#)?.key == "beta2")
        #expect(decodingError(#"{"param_mode": 1.5}"#)?.key == "param_mode")
        #expect(decodingError(#"{"start_dim": 4, "end_dim": 4}"#)?.key == "end_dim")
        #expect(decodingError(#"{"end_dim": 65}"#)?.key == "end_dim")
        #expect(decodingError(#"{"optimizer": "lbfgs"}"#)?.key == "optimizer")
        #expect(decodingError(#"{"w1": -1}"#)?.key == "w1")
    }

    @Test func encodingKeepsOnlyUsedParametersAndRoundTrips() throws {
        let sgd = DInsightParameters(optimizer: .sgd, lowdim: 3, eta: 0.25)
        let data = try JSONEncoder().encode(sgd)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let keys = try #require(object).keys
        #expect(!keys.contains("alpha") && keys.contains("eta"))
        #expect(try JSONDecoder().decode(DInsightParameters.self, from: data) == sgd)
        let used = DInsightParameters().usedParameters.map(\.name)
        #expect(used.first == "optimizer" && used.contains("alpha") && !used.contains("eta"))
        #expect(Set(used).isSubset(of: Set(DInsightParameters.names)) && DInsightParameters.names.count == 18)
    }
}

@Suite("PCA reduction")
struct PCAReductionTests {
    /// 300 rows in 40 columns: 3 planted directions with variances 9, 4, 1 plus noise 0.01.
    static func plantedRows() -> (rows: [[Double]], directions: [[Double]]) {
        var noise = TestNoise(state: 5)
        let directions = (0..<3).map { _ in (0..<40).map { _ in noise.normal() } }
        let rows = (0..<300).map { _ -> [Double] in
            let f = [3 * noise.normal(), 2 * noise.normal(), noise.normal()]
            return (0..<40).map { j in f[0] * directions[0][j] + f[1] * directions[1][j] + f[2] * directions[2][j] + 0.01 * noise.normal() }
        }
        return (rows, directions)
    }

    @Test func recoversAPlantedLowRankStructure() throws {
        let (rows, directions) = Self.plantedRows()
        let pca = try PCAReduction.fit(rows: rows, startDim: 0, endDim: 5)
        #expect(pca.solverConverged)
        #expect(pca.explainedVarianceRatio[0..<3].reduce(0, +) > 0.999)
        #expect(pca.explainedVarianceRatio[3] < 1e-4)
        for direction in directions {
            // In z-score space the planted direction is scaled by 1 / std per column.
            let z = zip(direction, pca.scales).map { $0 * $1 }
            let norm = z.map { $0 * $0 }.reduce(0, +).squareRoot()
            var captured = 0.0
            for c in 0..<3 {
                let dot = (0..<40).map { pca.components[c * 40 + $0] * z[$0] }.reduce(0, +) / norm
                captured += dot * dot
            }
            #expect(captured > 0.9999)
        }
        for c in 0..<5 {
            for e in 0..<5 {
                let dot = (0..<40).map { pca.components[c * 40 + $0] * pca.components[e * 40 + $0] }.reduce(0, +)
                #expect(abs(dot - (c == e ? 1 : 0)) < 1e-9)
            }
        }
    }

    @Test func keepsComponentsStartDimToEndDimAndHonoursWeights() throws {
        let (rows, _) = Self.plantedRows()
        let full = try PCAReduction.fit(rows: rows, startDim: 0, endDim: 4)
        let tail = try PCAReduction.fit(rows: rows, startDim: 1, endDim: 3)
        #expect(tail.outputDimension == 2)
        let x = rows[7], fullReduced = full.project(x), tailReduced = tail.project(x)
        #expect(abs(tailReduced[0] - fullReduced[1]) < 1e-6 && abs(tailReduced[1] - fullReduced[2]) < 1e-6)
        var weights = [Double](repeating: 1, count: 40)
        weights[3] = 0
        let weighted = try PCAReduction.fit(rows: rows, startDim: 0, endDim: 2, weights: weights)
        #expect(weighted.components[3] == 0 && weighted.components[40 + 3] == 0)
    }

    @Test func refusesMoreComponentsThanColumns() {
        #expect(throws: LearningError.self) {
            _ = try PCAReduction.fit(rows: [[1, 2], [3, 5], [4, 4]], startDim: 0, endDim: 3)
        }
    }
}

@Suite("Neighbour embedding")
struct NeighbourEmbeddingTests {
    static let data = threeClusters(perCluster: 60, seed: 1)
    static let fresh = threeClusters(perCluster: 10, seed: 9)
    static let adam = try! NeighbourEmbedding.fit(rows: data.rows, parameters: DInsightParameters(imax: 400))
    static let sgd = try! NeighbourEmbedding.fit(rows: data.rows, parameters: DInsightParameters(optimizer: .sgd, imax: 400))

    /// The label of a baseline point.
    static func label(_ embedding: NeighbourEmbedding, _ index: Int) -> Int {
        data.labels[embedding.baselineRowIndices[index]]
    }

    @Test(arguments: ["adam", "sgd"])
    func keepsClustersApartAndNeighboursTogether(_ optimizer: String) {
        let (embedding, report) = optimizer == "adam" ? Self.adam : Self.sgd
        #expect(report.neighbourPreservation > 0.5)
        #expect(report.baselineSize == 180 && embedding.baselineCoords.count == 180)
        for i in 0..<embedding.baselineSize {
            let own = embedding.baselineCoords[i]
            let nearest = embedding.nearestBaseline(own, k: 2)
            #expect(nearest[0].index == i && nearest[0].distance == 0)
            #expect(Self.label(embedding, nearest[1].index) == Self.label(embedding, i))
        }
    }

    @Test(arguments: ["adam", "sgd"])
    func newPointsLandAmongTheirOwnCluster(_ optimizer: String) {
        let embedding = optimizer == "adam" ? Self.adam.0 : Self.sgd.0
        for (row, label) in zip(Self.fresh.rows, Self.fresh.labels) {
            let nearest = embedding.nearestBaseline(embedding.project(row), k: 5)
            #expect(nearest.allSatisfy { Self.label(embedding, $0.index) == label })
        }
    }

    @Test func anOutlierLiesFarOutsideTheBaseline() {
        let embedding = Self.adam.0
        let calibration = embedding.baselineKnnDistances(k: 5).sorted()
        let p99 = EmbeddingMath.quantile(sorted: calibration, 0.99)
        let outlier = embedding.project([Double](repeating: 40, count: 50))
        #expect(embedding.knnDistance(outlier, k: 5) > 3 * p99)
        let inliers = Self.fresh.rows.map { embedding.knnDistance(embedding.project($0), k: 5) }.sorted()
        #expect(inliers[inliers.count / 2] < EmbeddingMath.quantile(sorted: calibration, 0.9))
        #expect(inliers.last! < embedding.knnDistance(outlier, k: 5) / 3)
    }

    @Test func fitAndProjectionAreBitForBitRepeatable() throws {
        let (again, report) = try NeighbourEmbedding.fit(rows: Self.data.rows, parameters: DInsightParameters(imax: 400))
        #expect(again.coordinates == Self.adam.0.coordinates)
        #expect(report.finalLoss == Self.adam.1.finalLoss && report.iterations == Self.adam.1.iterations)
        let row = Self.fresh.rows[4]
        #expect(again.project(row) == Self.adam.0.project(row))
        #expect(Self.adam.0.project(row) == Self.adam.0.project(row))
    }

    @Test func survivesJSONUnchanged() throws {
        let embedding = Self.sgd.0
        let decoded = try JSONDecoder().decode(NeighbourEmbedding.self, from: JSONEncoder().encode(embedding))
        #expect(decoded.coordinates == embedding.coordinates)
        for row in Self.fresh.rows.prefix(5) { #expect(decoded.project(row) == embedding.project(row)) }
    }

    @Test func subsamplesEveryKthRowAndRefusesTooFewRows() throws {
        let rows = Array(Self.data.rows.prefix(50))
        let (embedding, report) = try NeighbourEmbedding.fit(
            rows: rows, parameters: DInsightParameters(imax: 20, endDim: 4), baselineLimit: 10)
        #expect(embedding.baselineRowIndices == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45])
        let (uneven, _) = try NeighbourEmbedding.fit(
            rows: Array(rows.prefix(25)), parameters: DInsightParameters(imax: 5, endDim: 4), baselineLimit: 10)
        #expect(uneven.baselineRowIndices == [0, 2, 5, 7, 10, 12, 15, 17, 20, 22])
        #expect(report.inputRows == 50 && report.baselineSize == 10 && report.iterations <= 20)
        #expect(embedding.knnDistance(ofBaseline: 0, k: 3) > 0)
        #expect(throws: LearningError.self) {
            _ = try NeighbourEmbedding.fit(rows: Array(rows.prefix(5)), parameters: DInsightParameters())
        }
    }
}
