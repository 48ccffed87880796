// Decoding with a default for every missing key and an error for every
// unknown one, so a misspelt key in a YAML file stops the run instead of
// being ignored. Encoding (night.json) writes every key.

extension NightConfiguration {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed, fields, epochs, width, height
        case referenceExposures = "reference_exposures"
        case night, camera, conditions, sources, injections, artifacts
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NightConfiguration()
        seed = try c.value(.seed, default: d.seed)
        fields = try c.value(.fields, default: d.fields)
        epochs = try c.value(.epochs, default: d.epochs)
        width = try c.value(.width, default: d.width)
        height = try c.value(.height, default: d.height)
        referenceExposures = try c.value(.referenceExposures, default: d.referenceExposures)
        night = try c.value(.night, default: d.night)
        camera = try c.value(.camera, default: d.camera)
        conditions = try c.value(.conditions, default: d.conditions)
        sources = try c.value(.sources, default: d.sources)
        injections = try c.value(.injections, default: d.injections)
        artifacts = try c.value(.artifacts, default: d.artifacts)
    }
}

extension NightConfiguration.Night {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case start, filter
        case durationHours = "duration_hours"
        case referenceDaysBefore = "reference_days_before"
        case siteLatitude = "site_latitude"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        start = try c.value(.start, default: d.start)
        filter = try c.value(.filter, default: d.filter)
        durationHours = try c.value(.durationHours, default: d.durationHours)
        referenceDaysBefore = try c.value(.referenceDaysBefore, default: d.referenceDaysBefore)
        siteLatitude = try c.value(.siteLatitude, default: d.siteLatitude)
    }
}

extension NightConfiguration.Camera {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case gain, exposure, saturation
        case pixelScale = "pixel_scale"
        case readNoise = "read_noise"
        case referenceDepth = "reference_depth"
        case zeroPoint = "zero_point"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        pixelScale = try c.value(.pixelScale, default: d.pixelScale)
        gain = try c.value(.gain, default: d.gain)
        readNoise = try c.value(.readNoise, default: d.readNoise)
        saturation = try c.value(.saturation, default: d.saturation)
        exposure = try c.value(.exposure, default: d.exposure)
        referenceDepth = try c.value(.referenceDepth, default: d.referenceDepth)
        zeroPoint = try c.value(.zeroPoint, default: d.zeroPoint)
    }
}

extension NightConfiguration.Conditions {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case fwhm, beta, transparency, sky, rotation
        case referenceFWHM = "reference_fwhm"
        case referenceTransparency = "reference_transparency"
        case skyGradient = "sky_gradient"
        case pointingOffset = "pointing_offset"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        fwhm = try c.value(.fwhm, default: d.fwhm)
        beta = try c.value(.beta, default: d.beta)
        referenceFWHM = try c.value(.referenceFWHM, default: d.referenceFWHM)
        transparency = try c.value(.transparency, default: d.transparency)
        referenceTransparency = try c.value(.referenceTransparency, default: d.referenceTransparency)
        sky = try c.value(.sky, default: d.sky)
        skyGradient = try c.value(.skyGradient, default: d.skyGradient)
        pointingOffset = try c.value(.pointingOffset, default: d.pointingOffset)
        rotation = try c.value(.rotation, default: d.rotation)
    }
}

extension NightConfiguration.Sources {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case ellipticity
        case starDensity = "star_density"
        case starMagnitudes = "star_magnitudes"
        case starCountSlope = "star_count_slope"
        case galaxyDensity = "galaxy_density"
        case galaxyMagnitudes = "galaxy_magnitudes"
        case galaxyCountSlope = "galaxy_count_slope"
        case halfLightRadius = "half_light_radius"
        case deVaucouleursFraction = "de_vaucouleurs_fraction"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        starDensity = try c.value(.starDensity, default: d.starDensity)
        starMagnitudes = try c.value(.starMagnitudes, default: d.starMagnitudes)
        starCountSlope = try c.value(.starCountSlope, default: d.starCountSlope)
        galaxyDensity = try c.value(.galaxyDensity, default: d.galaxyDensity)
        galaxyMagnitudes = try c.value(.galaxyMagnitudes, default: d.galaxyMagnitudes)
        galaxyCountSlope = try c.value(.galaxyCountSlope, default: d.galaxyCountSlope)
        halfLightRadius = try c.value(.halfLightRadius, default: d.halfLightRadius)
        ellipticity = try c.value(.ellipticity, default: d.ellipticity)
        deVaucouleursFraction = try c.value(.deVaucouleursFraction, default: d.deVaucouleursFraction)
    }
}

extension NightConfiguration.Injections {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case transientsPerField = "transients_per_field"
        case supernovaFraction = "supernova_fraction"
        case nearStarFraction = "near_star_fraction"
        case hostOffset = "host_offset"
        case starOffset = "star_offset"
        case transientSNR = "transient_snr"
        case variableFraction = "variable_fraction"
        case variableAmplitude = "variable_amplitude"
        case variablePeriodHours = "variable_period_hours"
        case movingPerField = "moving_per_field"
        case movingRate = "moving_rate"
        case movingSNR = "moving_snr"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        transientsPerField = try c.value(.transientsPerField, default: d.transientsPerField)
        supernovaFraction = try c.value(.supernovaFraction, default: d.supernovaFraction)
        nearStarFraction = try c.value(.nearStarFraction, default: d.nearStarFraction)
        hostOffset = try c.value(.hostOffset, default: d.hostOffset)
        starOffset = try c.value(.starOffset, default: d.starOffset)
        transientSNR = try c.value(.transientSNR, default: d.transientSNR)
        variableFraction = try c.value(.variableFraction, default: d.variableFraction)
        variableAmplitude = try c.value(.variableAmplitude, default: d.variableAmplitude)
        variablePeriodHours = try c.value(.variablePeriodHours, default: d.variablePeriodHours)
        movingPerField = try c.value(.movingPerField, default: d.movingPerField)
        movingRate = try c.value(.movingRate, default: d.movingRate)
        movingSNR = try c.value(.movingSNR, default: d.movingSNR)
    }
}

extension NightConfiguration.Artifacts {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case cosmicRayRate = "cosmic_ray_rate"
        case cosmicRayElectrons = "cosmic_ray_electrons"
        case cosmicRayLength = "cosmic_ray_length"
        case cosmicRayWidth = "cosmic_ray_width"
        case singlePixelFraction = "single_pixel_fraction"
        case hotPixelDensity = "hot_pixel_density"
        case hotPixelElectrons = "hot_pixel_electrons"
        case badColumn = "bad_column"
        case badColumnSigma = "bad_column_sigma"
        case deadColumnProbability = "dead_column_probability"
        case trailProbability = "trail_probability"
        case trailSNR = "trail_snr"
    }

    /// Decodes, taking the default for every missing key and refusing unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        cosmicRayRate = try c.value(.cosmicRayRate, default: d.cosmicRayRate)
        cosmicRayElectrons = try c.value(.cosmicRayElectrons, default: d.cosmicRayElectrons)
        cosmicRayLength = try c.value(.cosmicRayLength, default: d.cosmicRayLength)
        cosmicRayWidth = try c.value(.cosmicRayWidth, default: d.cosmicRayWidth)
        singlePixelFraction = try c.value(.singlePixelFraction, default: d.singlePixelFraction)
        hotPixelDensity = try c.value(.hotPixelDensity, default: d.hotPixelDensity)
        hotPixelElectrons = try c.value(.hotPixelElectrons, default: d.hotPixelElectrons)
        badColumn = try c.value(.badColumn, default: d.badColumn)
        badColumnSigma = try c.value(.badColumnSigma, default: d.badColumnSigma)
        deadColumnProbability = try c.value(.deadColumnProbability, default: d.deadColumnProbability)
        trailProbability = try c.value(.trailProbability, default: d.trailProbability)
        trailSNR = try c.value(.trailSNR, default: d.trailSNR)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws a `DecodingError` whose coding path ends at the first key of
    /// the mapping that `Keys` does not name.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try container(keyedBy: AnyKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        if let first = unknown.first {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [AnyKey(stringValue: first)],
                debugDescription: "unknown key; expected one of: \(known.sorted().joined(separator: ", "))"))
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent.
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
