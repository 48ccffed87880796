/// The confusion counts of a binary classifier and the usual rates derived from them.
///
/// Rates whose denominator is zero (e.g. precision when nothing was predicted positive) are 0,
/// so reports never carry NaN. A plain value; encodes only the four counts.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    /// Predicted positive, actually positive.
    public var truePositives: Int
    /// Predicted positive, actually negative.
    public var falsePositives: Int
    /// Predicted negative, actually negative.
    public var trueNegatives: Int
    /// Predicted negative, actually positive.
    public var falseNegatives: Int

    /// Metrics from counts directly.
    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Counts agreements of `predicted` with `actual`, pairwise; the arrays must be equally
    /// long (a programming error otherwise).
    public init(predicted: [Bool], actual: [Bool]) {
        precondition(predicted.count == actual.count, "\(predicted.count) predictions for \(actual.count) labels")
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (p, a) in zip(predicted, actual) {
            switch (p, a) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        self.init(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    /// Number of samples counted.
    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    /// TP / (TP + FP): the fraction of predicted positives that are real; 0 when none predicted.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }

    /// TP / (TP + FN): the fraction of real positives found; 0 when there are none.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }

    /// The harmonic mean of precision and recall, 2TP / (2TP + FP + FN); 0 when undefined.
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }

    /// (TP + TN) / total; 0 for no samples.
    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}
