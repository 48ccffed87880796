import Imaging

extension ExtractionParameters: Codable {
    private enum CodingKeys: String, CodingKey {
        case threshold, minimumArea, detectNegatives, mergeRadiusInFWHM, deblendMinimumDip, stampSize
        case rejectedMaskBits, rejectZeroedPixels, maximumCentroidShift, apertureRadiusInFWHM
        case dipoleRadiusInFWHM, saturationRadiusInFWHM, referenceSearchRadius
        case brightStarFlux, brightStarMagnitude, brightStarRadiusInFWHM
    }

    /// Mask bits by the names of their `MaskBits` constants: configuration
    /// files stay readable and do not depend on bit positions.
    static let maskBitNames: [(name: String, bit: MaskBits)] = [
        ("saturated", .saturated), ("bad", .bad), ("cosmicRay", .cosmicRay), ("noData", .noData),
        ("trail", .trail), ("edge", .edge), ("interpolated", .interpolated), ("nearDefect", .nearDefect),
    ]

    /// Decodes parameters; a missing key keeps its default, so a
    /// configuration names only what it changes.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func take<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try take(.threshold, &threshold)
        try take(.minimumArea, &minimumArea)
        try take(.detectNegatives, &detectNegatives)
        try take(.mergeRadiusInFWHM, &mergeRadiusInFWHM)
        try take(.deblendMinimumDip, &deblendMinimumDip)
        try take(.stampSize, &stampSize)
        try take(.rejectZeroedPixels, &rejectZeroedPixels)
        try take(.maximumCentroidShift, &maximumCentroidShift)
        try take(.apertureRadiusInFWHM, &apertureRadiusInFWHM)
        try take(.dipoleRadiusInFWHM, &dipoleRadiusInFWHM)
        try take(.saturationRadiusInFWHM, &saturationRadiusInFWHM)
        try take(.referenceSearchRadius, &referenceSearchRadius)
        try take(.brightStarRadiusInFWHM, &brightStarRadiusInFWHM)
        // Optional limits: an explicit null clears the default.
        func takeOptional(_ key: CodingKeys, _ value: inout Double?) throws {
            guard c.contains(key) else { return }
            value = try c.decodeNil(forKey: key) ? nil : c.decode(Double.self, forKey: key)
        }
        try takeOptional(.brightStarFlux, &brightStarFlux)
        try takeOptional(.brightStarMagnitude, &brightStarMagnitude)
        if let names = try c.decodeIfPresent([String].self, forKey: .rejectedMaskBits) {
            rejectedMaskBits = try Self.maskBits(named: names, codingPath: c.codingPath + [CodingKeys.rejectedMaskBits])
        }
    }

    /// Encodes every parameter, mask bits by name.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(minimumArea, forKey: .minimumArea)
        try c.encode(detectNegatives, forKey: .detectNegatives)
        try c.encode(mergeRadiusInFWHM, forKey: .mergeRadiusInFWHM)
        try c.encode(deblendMinimumDip, forKey: .deblendMinimumDip)
        try c.encode(stampSize, forKey: .stampSize)
        try c.encode(Self.names(of: rejectedMaskBits), forKey: .rejectedMaskBits)
        try c.encode(rejectZeroedPixels, forKey: .rejectZeroedPixels)
        try c.encode(maximumCentroidShift, forKey: .maximumCentroidShift)
        try c.encode(apertureRadiusInFWHM, forKey: .apertureRadiusInFWHM)
        try c.encode(dipoleRadiusInFWHM, forKey: .dipoleRadiusInFWHM)
        try c.encode(saturationRadiusInFWHM, forKey: .saturationRadiusInFWHM)
        try c.encode(referenceSearchRadius, forKey: .referenceSearchRadius)
        try c.encode(brightStarFlux, forKey: .brightStarFlux)
        try c.encode(brightStarMagnitude, forKey: .brightStarMagnitude)
        try c.encode(brightStarRadiusInFWHM, forKey: .brightStarRadiusInFWHM)
    }

    static func names(of bits: MaskBits) -> [String] {
        maskBitNames.filter { bits.contains($0.bit) }.map(\.name)
    }

    static func maskBits(named names: [String], codingPath: [any CodingKey]) throws -> MaskBits {
        var bits: MaskBits = []
        for name in names {
            guard let entry = maskBitNames.first(where: { $0.name == name }) else {
                let known = maskBitNames.map(\.name).joined(separator: ", ")
                throw DecodingError.dataCorrupted(.init(
                    codingPath: codingPath, debugDescription: "unknown mask bit '\(name)'; known: \(known)"))
            }
            bits.insert(entry.bit)
        }
        return bits
    }
}
