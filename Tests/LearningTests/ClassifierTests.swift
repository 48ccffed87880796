import Foundation
import Testing

import Learning

/// Synthetic data for the classifier tests, drawn from our own generator so every run and
/// every platform sees the same points.
private struct Synthetic {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * rng.nextUnit()
    }

    /// A standard normal deviate by Box–Muller; 1 − u keeps the logarithm finite.
    mutating func gaussian() -> Double {
        let u = 1 - rng.nextUnit()
        let v = rng.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    mutating func rows(_ count: Int, features: Int, _ low: Double, _ high: Double) -> [[Double]] {
        (0..<count).map { _ in (0..<features).map { _ in uniform(low, high) } }
    }

    mutating func blob(_ count: Int, features: Int) -> [[Double]] {
        (0..<count).map { _ in (0..<features).map { _ in gaussian() } }
    }
}

private func names(_ count: Int) -> [String] { (0..<count).map { "f\($0)" } }

private func accuracy(_ model: BoostedTrees, _ rows: [[Double]], _ labels: [Bool]) -> Double {
    BinaryMetrics(predicted: rows.map { model.probability($0) > 0.5 }, actual: labels).accuracy
}

@Suite("SplitMix64 and Quantile")
struct RandomAndQuantileTests {
    @Test func splitMixGivesTheReferenceSequenceForSeed1() {
        var rng = SplitMix64(seed: 1)
        let words = (0..<5).map { _ in rng.next() }
        #expect(words == [
            0x910A_2DEC_8902_5CC1, 0xBEEB_8DA1_658E_EC67, 0xF893_A2EE_FB32_555E,
            0x71C1_8690_EE42_C90B, 0x71BB_54D8_D101_B5B9,
        ])
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func splitMixHelpersAreDerivedFromNext() {
        var rng = SplitMix64(seed: 1)
        #expect(rng.nextUnit() == 0.5665615751722809)
        #expect(rng.nextUnit() == 0.7457817572627011)
        var a = SplitMix64(seed: 7)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<5000 {
            let k = a.nextInt(below: 5)
            #expect((0..<5).contains(k))
            counts[k] += 1
        }
        #expect(counts.allSatisfy { $0 > 900 && $0 < 1100 })
        var b = SplitMix64(seed: 7)
        var c = SplitMix64(seed: 7)
        #expect((0..<20).map { _ in b.nextInt(in: -3...3) } == (0..<20).map { _ in c.nextInt(in: -3...3) })
    }

    @Test func quantileInterpolatesBetweenOrderStatistics() {
        #expect(Quantile.of([3, 1, 2], 0.5) == 2)
        #expect(Quantile.of([4, 1, 3, 2], 0.5) == 2.5)
        #expect(Quantile.of([1, 2, 3, 4], 0.25) == 1.75)
        #expect(Quantile.of([10, 20], 0.1) == 11)
        #expect(Quantile.of([1, 2, 3, 4], 0) == 1)
        #expect(Quantile.of([1, 2, 3, 4], 1) == 4)
        #expect(Quantile.of([1, 2, 3, 4], 7) == 4)
        #expect(Quantile.of([5], 0.3) == 5)
        #expect(Quantile.of([], 0.5).isNaN)
        #expect(Quantile.of([1, 2], .nan).isNaN)
        #expect(Quantile.median([9, 1, 5, 7]) == 6)
        #expect(Quantile.ofSorted([0, 10, 20, 30, 40], 0.9) == 36)
    }
}

@Suite("BoostedTrees")
struct BoostedTreesTests {
    @Test func learnsAThreshold() throws {
        var data = Synthetic(seed: 11)
        let train = data.rows(1000, features: 3, 0, 1)
        let test = data.rows(500, features: 3, 0, 1)
        let model = try BoostedTrees.fit(
            rows: train, labels: train.map { $0[1] > 0.6 }, parameters: .init(trees: 50), featureNames: names(3))
        #expect(accuracy(model, test, test.map { $0[1] > 0.6 }) > 0.95)
        #expect(model.featureImportance.first?.name == "f1")
        #expect(model.treeCount == 50)
    }

    @Test func learnsXor() throws {
        var data = Synthetic(seed: 12)
        let xor: ([Double]) -> Bool = { ($0[0] > 0) != ($0[1] > 0) }
        let train = data.rows(2000, features: 3, -1, 1)
        let test = data.rows(500, features: 3, -1, 1)
        let model = try BoostedTrees.fit(rows: train, labels: train.map(xor), featureNames: names(3))
        #expect(accuracy(model, test, test.map(xor)) > 0.95)
        let top = model.featureImportance.prefix(2).map(\.name).sorted()
        #expect(top == ["f0", "f1"])
    }

    @Test func meanProbabilityMatchesTheBaseRate() throws {
        var data = Synthetic(seed: 13)
        func sample(_ n: Int) -> ([[Double]], [Bool]) {
            let rows = data.rows(n, features: 2, -1, 1)
            return (rows, rows.map { $0[0] + data.gaussian() > 0 })
        }
        let (train, trainLabels) = sample(1500)
        let (test, testLabels) = sample(1500)
        let model = try BoostedTrees.fit(
            rows: train, labels: trainLabels, parameters: .init(trees: 60), featureNames: names(2))
        let meanProbability = test.map(model.probability).reduce(0, +) / Double(test.count)
        let baseRate = Double(testLabels.filter { $0 }.count) / Double(testLabels.count)
        #expect(abs(meanProbability - baseRate) < 0.05)
        #expect(test.allSatisfy { (0...1).contains(model.probability($0)) })
    }

    @Test func weightsShiftTheBalance() throws {
        var data = Synthetic(seed: 14)
        let rows = data.rows(600, features: 2, 0, 1)
        let labels = rows.map { $0[0] + 0.3 * data.gaussian() > 0.8 }
        let parameters = BoostParameters(trees: 30)
        let plain = try BoostedTrees.fit(rows: rows, labels: labels, parameters: parameters, featureNames: names(2))
        let balanced = try BoostedTrees.fit(
            rows: rows, labels: labels, weights: labels.map { $0 ? 4 : 1 }, parameters: parameters,
            featureNames: names(2))
        let mean = { (m: BoostedTrees) in rows.map(m.probability).reduce(0, +) / Double(rows.count) }
        #expect(mean(balanced) > mean(plain) + 0.1)
    }

    @Test func refusesBadInput() {
        let rows: [[Double]] = [[1], [2], [3]]
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(rows: rows, labels: [true, true, true], featureNames: ["a"])
        }
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(rows: rows, labels: [true, false], featureNames: ["a"])
        }
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(rows: [], labels: [], featureNames: ["a"])
        }
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(rows: rows, labels: [true, false, true], featureNames: ["a", "b"])
        }
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(
                rows: rows, labels: [true, false, true], weights: [1, 0, 1], featureNames: ["a"])
        }
        #expect(throws: LearningError.self) {
            try BoostedTrees.fit(
                rows: rows, labels: [true, false, true], parameters: .init(bins: 300), featureNames: ["a"])
        }
    }

    @Test func fitsAreBitIdenticalAndRoundTrip() throws {
        var data = Synthetic(seed: 15)
        var train = data.rows(800, features: 4, -1, 1)
        train[3][2] = .nan
        let labels = train.map { $0[0] * $0[1] + 0.2 * $0[2] > 0 }
        let parameters = BoostParameters(trees: 40, subsample: 0.7, seed: 99)
        let a = try BoostedTrees.fit(rows: train, labels: labels, parameters: parameters, featureNames: names(4))
        let b = try BoostedTrees.fit(rows: train, labels: labels, parameters: parameters, featureNames: names(4))
        let probes = data.rows(200, features: 4, -1.2, 1.2) + [[.nan, 0, .nan, .infinity]]
        #expect(probes.map { a.probability($0).bitPattern } == probes.map { b.probability($0).bitPattern })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(a)
        #expect(json == (try encoder.encode(b)))
        let decoded = try JSONDecoder().decode(BoostedTrees.self, from: json)
        #expect(probes.map { decoded.margin($0).bitPattern } == probes.map { a.margin($0).bitPattern })
        #expect(decoded.parameters == parameters)
        #expect((0...1).contains(a.probability([.nan, .nan, .nan, .nan])))
    }

    @Test func refusesDamagedModels() throws {
        let model = try BoostedTrees.fit(
            rows: [[0], [1], [2], [3]], labels: [false, false, true, true],
            parameters: .init(trees: 2, minSamplesPerLeaf: 1), featureNames: ["a"])
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        object["left"] = (object["left"] as? [Int]).map { $0.map { $0 < 0 ? $0 : 0 } }
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BoostedTrees.self, from: damaged) }
    }
}

@Suite("IsolationForest and BinaryMetrics")
struct IsolationForestTests {
    @Test func distantPointsScoreHigherThanTheBlob() throws {
        var data = Synthetic(seed: 21)
        let forest = try IsolationForest.fit(rows: data.blob(2000, features: 3), featureNames: names(3))
        // c(256) = 2·H(255) − 2·255/256 = 10.2486899256…, here from the asymptotic series.
        #expect(abs(forest.averagePathLength - 10.248_689_925_634_56) < 1e-9)
        let inliers = data.blob(300, features: 3)
        let meanInlier = inliers.map(forest.score).reduce(0, +) / Double(inliers.count)
        // 8σ from the centre, in random directions. Scores saturate near those of the sample's
        // own extremes (a cut never falls beyond a node's range), hence a mean, not a minimum.
        let outliers = (0..<40).map { _ in
            let direction = (0..<3).map { _ in data.gaussian() }
            let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return direction.map { 8 * $0 / norm }
        }
        let scores = outliers.map(forest.score)
        let meanOutlier = scores.reduce(0, +) / Double(scores.count)
        #expect(meanInlier < 0.55)
        #expect(meanOutlier > 0.65)
        #expect(scores.allSatisfy { $0 > 0.55 })
    }

    @Test func attributionNamesTheDisplacedFeature() throws {
        var data = Synthetic(seed: 23)
        let features = 6
        let forest = try IsolationForest.fit(rows: data.blob(2000, features: features), featureNames: names(features))
        var outlier = [Double](repeating: 0, count: features)
        outlier[3] = 8
        #expect(forest.score(outlier) > forest.score([Double](repeating: 0, count: features)))
        let shares = forest.attribution(outlier, top: 3)
        #expect(shares.first?.name == "f3")
        #expect(shares.count <= 3)
        let all = forest.attribution(outlier, top: features)
        #expect(abs(all.map(\.share).reduce(0, +) - 1) < 1e-12)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.share >= $1.share })
    }

    @Test func forestsAreDeterministicAndRoundTrip() throws {
        var data = Synthetic(seed: 22)
        let rows = data.blob(500, features: 3)
        let a = try IsolationForest.fit(rows: rows, trees: 20, sampleSize: 64, seed: 5, featureNames: names(3))
        let b = try IsolationForest.fit(rows: rows, trees: 20, sampleSize: 64, seed: 5, featureNames: names(3))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(a) == encoder.encode(b))
        let decoded = try JSONDecoder().decode(IsolationForest.self, from: encoder.encode(a))
        let probes = data.blob(50, features: 3) + [[.nan, 0, 0]]
        #expect(probes.map { decoded.score($0).bitPattern } == probes.map { a.score($0).bitPattern })
        #expect(probes.allSatisfy { a.score($0) > 0 && a.score($0) < 1 })
        // c(64) = 2·H(63) − 2·63/64, summed exactly.
        #expect(abs(a.averagePathLength - 7.487_781_807_411_5) < 1e-12)
        #expect(a.sampleSize == 64)
    }

    @Test func forestRefusesBadInput() {
        #expect(throws: LearningError.self) { try IsolationForest.fit(rows: [[1]], featureNames: ["a"]) }
        #expect(throws: LearningError.self) { try IsolationForest.fit(rows: [[1], [2, 3]], featureNames: ["a"]) }
        #expect(throws: LearningError.self) {
            try IsolationForest.fit(rows: [[1], [2]], trees: 0, featureNames: ["a"])
        }
    }

    @Test func binaryMetricsOnAHandMadeConfusion() {
        // 3 TP, 1 FP, 4 TN, 2 FN.
        let predicted = [true, true, true, true, false, false, false, false, false, false]
        let actual = [true, true, true, false, false, false, false, false, true, true]
        let m = BinaryMetrics(predicted: predicted, actual: actual)
        #expect(m == BinaryMetrics(truePositives: 3, falsePositives: 1, trueNegatives: 4, falseNegatives: 2))
        #expect(m.precision == 0.75)
        #expect(m.recall == 0.6)
        #expect(abs(m.f1 - 2 * 0.75 * 0.6 / 1.35) < 1e-15)
        #expect(m.accuracy == 0.7)
        let empty = BinaryMetrics(predicted: [false], actual: [false])
        #expect(empty.precision == 0 && empty.recall == 0 && empty.f1 == 0 && empty.accuracy == 1)
    }
}
