/// Decoding a stored `NeighbourEmbedding` with its shapes checked, so that a damaged artifact
/// fails on load with a message instead of trapping later inside `project`.
extension NeighbourEmbedding {
    enum CodingKeys: String, CodingKey {
        case parameters, reduction
        case baselineRowIndices = "baseline_row_indices"
        case baselineReduced = "baseline_reduced"
        case coordinates, bandwidth
        case repulsionWeight = "repulsion_weight"
        case neighbourScale = "neighbour_scale"
    }

    /// Decodes every stored array and checks that their sizes agree with each other and with the
    /// parameters. Throws `LearningError` naming the first inconsistent field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let parameters = try c.decode(DInsightParameters.self, forKey: .parameters)
        let reduction = try c.decode(PCAReduction.self, forKey: .reduction)
        let indices = try c.decode([Int].self, forKey: .baselineRowIndices)
        let reduced = try c.decode([Double].self, forKey: .baselineReduced)
        let coordinates = try c.decode([Double].self, forKey: .coordinates)
        let m = indices.count, d = reduction.inputDimension, r = reduction.outputDimension
        func check(_ ok: Bool, _ key: String, _ message: String) throws {
            if !ok { throw LearningError(key: key, message) }
        }
        try check(m >= 1, "baseline_row_indices", "the baseline is empty")
        try check(reduction.means.count == d && reduction.scales.count == d, "reduction", "means and scales must have \(d) values")
        try check(reduction.components.count == r * d, "reduction", "components must hold \(r) × \(d) values")
        let asked = parameters.endDim - parameters.startDim
        try check(r == asked, "reduction", "keeps \(r) components, the parameters ask for \(asked)")
        try check(reduced.count == m * r, "baseline_reduced", "must hold \(m) × \(r) values, has \(reduced.count)")
        try check(
            coordinates.count == m * parameters.lowdim, "coordinates",
            "must hold \(m) × \(parameters.lowdim) values, has \(coordinates.count)")
        let bandwidth = try c.decode(Double.self, forKey: .bandwidth)
        try check(bandwidth > 0 && bandwidth.isFinite, "bandwidth", "must be a positive number")
        self.init(
            parameters: parameters, reduction: reduction, baselineRowIndices: indices, baselineReduced: reduced,
            coordinates: coordinates, bandwidth: bandwidth, repulsionWeight: try c.decode(Double.self, forKey: .repulsionWeight),
            neighbourScale: try c.decode(Double.self, forKey: .neighbourScale))
    }
}
