/// Reading and writing `DInsightParameters` with their snake_case keys.
///
/// Decoding is strict because these parameters end up in a model registry: a misspelt key or a
/// parameter the optimizer ignores would otherwise be stored as if it had shaped the model.
extension DInsightParameters {
    /// Any key, so that unknown keys can be seen and named instead of silently dropped.
    struct ParameterKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes from snake_case keys; absent keys take their defaults. Throws a `LearningError`
    /// naming the key for an unknown key, a value of the wrong type, a parameter the chosen
    /// optimizer does not use, or a value out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        // Sorted so that, with several bad keys, the same one is always reported.
        let given = container.allKeys.map(\.stringValue).sorted()
        for name in given where !Self.names.contains(name) {
            throw LearningError(
                key: name, "unknown parameter; accepted: \(Self.names.joined(separator: ", "))")
        }
        let reader = ParameterReader(container: container)
        var parameters = DInsightParameters()
        if let value = try reader.choice("optimizer", Optimizer.self) { parameters.optimizer = value }
        for name in given where parameters.unusedNames.contains(name) {
            throw LearningError(key: name, Self.refusal(name, optimizer: parameters.optimizer))
        }
        try reader.read(into: &parameters)
        try parameters.validate()
        self = parameters
    }

    /// Writes `usedParameters` only, under their snake_case keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        try container.encode(optimizer, forKey: ParameterKey("optimizer"))
        switch optimizer {
        case .adam:
            try container.encode(alpha, forKey: ParameterKey("alpha"))
            try container.encode(beta1, forKey: ParameterKey("beta1"))
            try container.encode(beta2, forKey: ParameterKey("beta2"))
            try container.encode(epsilon, forKey: ParameterKey("epsilon"))
        case .sgd:
            try container.encode(eta, forKey: ParameterKey("eta"))
            try container.encode(beta, forKey: ParameterKey("beta"))
        }
        try container.encode(imax, forKey: ParameterKey("imax"))
        try container.encode(gamma0, forKey: ParameterKey("gamma0"))
        try container.encode(lowdim, forKey: ParameterKey("lowdim"))
        try container.encode(a, forKey: ParameterKey("a"))
        try container.encode(w1, forKey: ParameterKey("w1"))
        try container.encode(whichW1, forKey: ParameterKey("which_w1"))
        try container.encode(w2, forKey: ParameterKey("w2"))
        try container.encode(mode, forKey: ParameterKey("mode"))
        try container.encode(paramMode, forKey: ParameterKey("param_mode"))
        try container.encode(startDim, forKey: ParameterKey("start_dim"))
        try container.encode(endDim, forKey: ParameterKey("end_dim"))
    }

    /// Why `name` is refused under `optimizer`, in words that say what the parameter is.
    static func refusal(_ name: String, optimizer: Optimizer) -> String {
        let meaning: String
        switch name {
        case "eta": meaning = "SGD's learning rate"
        case "beta": meaning = "SGD's momentum"
        case "alpha": meaning = "Adam's step size"
        case "epsilon": meaning = "Adam's denominator guard"
        case "beta1": meaning = "Adam's first-moment decay rate"
        default: meaning = "Adam's second-moment decay rate"
        }
        return "\(name) is \(meaning); optimizer is \(optimizer.rawValue), which does not use it"
    }
}

/// Reads the optional values of a parameters container, turning type mismatches into
/// `LearningError`s that name the key.
private struct ParameterReader {
    let container: KeyedDecodingContainer<DInsightParameters.ParameterKey>

    func number(_ name: String) throws -> Double? {
        try value(name, Double.self, "a number")
    }

    func integer(_ name: String) throws -> Int? {
        try value(name, Int.self, "an integer")
    }

    func choice<T: Decodable & RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: " or ")
        guard let text = try value(name, String.self, allowed) else { return nil }
        guard let choice = T(rawValue: text) else {
            throw LearningError(key: name, "must be \(allowed), got \"\(text)\"")
        }
        return choice
    }

    private func value<T: Decodable>(_ name: String, _ type: T.Type, _ expected: String) throws -> T? {
        do {
            return try container.decodeIfPresent(T.self, forKey: .init(name))
        } catch is DecodingError {
            throw LearningError(key: name, "must be \(expected)")
        }
    }

    /// Reads every key except `optimizer`, which the caller has read first.
    func read(into p: inout DInsightParameters) throws {
        if let v = try number("gamma0") { p.gamma0 = v }
        if let v = try number("alpha") { p.alpha = v }
        if let v = try integer("imax") { p.imax = v }
        if let v = try integer("lowdim") { p.lowdim = v }
        if let v = try number("eta") { p.eta = v }
        if let v = try number("epsilon") { p.epsilon = v }
        if let v = try number("beta1") { p.beta1 = v }
        if let v = try number("beta2") { p.beta2 = v }
        if let v = try number("beta") { p.beta = v }
        if let v = try number("a") { p.a = v }
        if let v = try number("w1") { p.w1 = v }
        if let v = try number("w2") { p.w2 = v }
        if let v = try choice("which_w1", DInsightParameters.RepulsionRule.self) { p.whichW1 = v }
        if let v = try choice("mode", DInsightParameters.BandwidthMode.self) { p.mode = v }
        if let v = try number("param_mode") { p.paramMode = v }
        if let v = try integer("start_dim") { p.startDim = v }
        if let v = try integer("end_dim") { p.endDim = v }
    }
}
