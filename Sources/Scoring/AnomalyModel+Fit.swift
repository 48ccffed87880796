import Foundation
import Learning

extension AnomalyModel {
    /// The most baseline points the map is fitted on: the fit's cost grows
    /// with their square, and 1500 cover a night's variety.
    public static let maximumMapPoints = 1500

    /// What a fit measured, for `models.metrics`.
    public struct FitReport: Codable, Sendable {
        public var embedding: EmbeddingFitReport
        /// Candidates in the baseline, in the map, and used to calibrate.
        public var baseline: Int, mapPoints: Int, calibration: Int
        public var distanceMedian: Double, distanceThreshold: Double
        public var forestMedian: Double, forestThreshold: Double
        public var rangeMedian: Double, rangeThreshold: Double
        public var quantile: Double
        /// Share of the calibration candidates at each severity.
        public var calibrationSeverities: [String: Double]
    }

    /// Fits the map and the forest on a baseline of whole feature vectors.
    ///
    /// The baseline is split by position: even rows (thinned to
    /// ``maximumMapPoints``) make the map; odd rows are projected into it out
    /// of sample, exactly as live candidates are, and their distances set the
    /// threshold, so the threshold measures what live scoring measures. The
    /// forest is fitted and calibrated on every row's measured features.
    /// Below 40 rows, all rows make the map and calibrate it.
    public static func fit(vectors: [[Double]], ids: [UUID], parameters: DInsightParameters, quantile: Double,
                           k: Int = 10, seed: UInt64 = 1) throws -> (AnomalyModel, FitReport) {
        let minimum = NeighbourEmbedding.minimumRows
        guard vectors.count == ids.count, vectors.count >= minimum else {
            throw LearningError(key: nil, "a baseline needs at least \(minimum) candidates, got \(vectors.count)")
        }
        // A small baseline (a fresh database's first image) cannot spare half
        // its rows for calibration: then the map is fitted and calibrated on
        // all of them, in sample, and k shrinks to a quarter of the rows.
        let split = vectors.count >= 4 * minimum
        let k = min(k, max(1, vectors.count / 4))
        let even = split ? stride(from: 0, to: vectors.count, by: 2).map { $0 } : Array(vectors.indices)
        let odd = split ? stride(from: 1, to: vectors.count, by: 2).map { $0 } : Array(vectors.indices)
        let step = max(1, (even.count + maximumMapPoints - 1) / maximumMapPoints)
        let mapRows = stride(from: 0, to: even.count, by: step).map { even[$0] }
        let (embedding, report) = try NeighbourEmbedding.fit(
            rows: mapRows.map { vectors[$0] }, parameters: parameters, weights: FeatureVector.embeddingWeights)
        let m = FeatureVector.measuredNames.count
        let measured = vectors.map { Array($0[0..<m]) }
        let forest = try IsolationForest.fit(rows: measured, trees: 100, sampleSize: 256, seed: seed,
                                             featureNames: FeatureVector.measuredNames)
        let (mean, scale) = moments(measured)
        var model = AnomalyModel(
            embedding: embedding, forest: forest, baselineIDs: embedding.baselineRowIndices.map { ids[mapRows[$0]] }, k: k,
            quantile: quantile,
            distanceMedian: 0, distanceThreshold: 1, forestMedian: 0, forestThreshold: 1, rangeMedian: 0,
            rangeThreshold: 1, featureMedian: [], featureLow: [], featureHigh: [], featureMean: mean, featureScale: scale,
            baselineCoords: embedding.baselineCoords)
        for j in 0..<m {
            let column = measured.map { $0[j] }
            model.featureMedian.append(Quantile.median(column))
            model.featureLow.append(Quantile.of(column, 1 - quantile))
            model.featureHigh.append(Quantile.of(column, quantile))
        }
        let ranges = measured.map { model.rangeScore($0).score }
        model.rangeMedian = Quantile.median(ranges)
        model.rangeThreshold = Quantile.of(ranges, quantile)
        let distances = odd.map { i -> Double in
            let near = embedding.nearestBaseline(embedding.project(vectors[i]), k: k)
            return near.reduce(0) { $0 + $1.distance } / Double(max(near.count, 1))
        }
        let forestScores = measured.map { forest.score($0) }
        model.distanceMedian = Quantile.median(distances)
        model.distanceThreshold = Quantile.of(distances, quantile)
        model.forestMedian = Quantile.median(forestScores)
        model.forestThreshold = Quantile.of(forestScores, quantile)
        var severities: [String: Double] = [:]
        for i in odd {
            let level = model.assess(vectors[i]).severity?.rawValue ?? "none"
            severities[level, default: 0] += 1 / Double(odd.count)
        }
        let fitReport = FitReport(
            embedding: report, baseline: vectors.count, mapPoints: mapRows.count, calibration: odd.count,
            distanceMedian: model.distanceMedian, distanceThreshold: model.distanceThreshold,
            forestMedian: model.forestMedian, forestThreshold: model.forestThreshold, rangeMedian: model.rangeMedian,
            rangeThreshold: model.rangeThreshold, quantile: quantile,
            calibrationSeverities: severities)
        return (model, fitReport)
    }

    /// Column means and standard deviations (at least 1e-6).
    static func moments(_ rows: [[Double]]) -> (mean: [Double], scale: [Double]) {
        let d = rows.first?.count ?? 0, n = Double(max(rows.count, 1))
        var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += row[j] / n } }
        for row in rows { for j in 0..<d { square[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / max(n - 1, 1) } }
        return (mean, square.map { max($0.squareRoot(), 1e-6) })
    }
}
