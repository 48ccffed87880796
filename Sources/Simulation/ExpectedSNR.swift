/// The S/N a matched-filter (PSF-fit) measurement of a flux change would
/// reach in a difference image calibrated to the reference.
///
/// For one image with normalised, pixel-integrated PSF P (centred on the
/// object's sub-pixel position), background variance V per pixel (sky + read
/// noise, ADU²) and an object of flux f (ADU) contributing its own Poisson
/// noise, the PSF-weighted flux estimate has variance
///
///     σ² = V / ΣP² + (f / g) ΣP³ / (ΣP²)²
///
/// The science term is scaled into reference ADU by s = (t T)_ref / (t T)_sci
/// and the two images' variances add:
///
///     expected_snr = |Δ_ref| / √(s² σ²_sci + σ²_ref)
///
/// Light of a host galaxy or a neighbouring star is not included.
enum ExpectedSNR {
    /// ΣP² and ΣP³ of a pixel-integrated Moffat centred at the given phase.
    struct PSFSums: Sendable {
        let squares: Double
        let cubes: Double

        init(profile: MoffatProfile, phaseX: Double = 0, phaseY: Double = 0) {
            let radius = Int((3 * profile.fwhm).rounded(.up)) + 3
            var squares = 0.0, cubes = 0.0
            for value in profile.stamp(phaseX: phaseX, phaseY: phaseY, radius: radius) {
                squares += value * value
                cubes += value * value * value
            }
            self.squares = squares
            self.cubes = cubes
        }
    }

    /// The variance of a PSF-fit flux in one image, ADU².
    static func fluxVariance(backgroundVariance: Double, flux: Double, gain: Double, sums: PSFSums) -> Double {
        backgroundVariance / sums.squares + max(flux, 0) / gain * sums.cubes / (sums.squares * sums.squares)
    }

    /// The expected S/N of `delta` (reference ADU) given the two images'
    /// flux variances (each in its own ADU) and the science-to-reference scale.
    static func snr(delta: Double, scienceVariance: Double, referenceVariance: Double, scale: Double) -> Double {
        abs(delta) / (scale * scale * scienceVariance + referenceVariance).squareRoot()
    }

    /// Flux above the atmosphere (e⁻/s) whose change has S/N 1 at the
    /// median conditions of `science` against `reference`, background only,
    /// at the image centre: the unit in which transient peaks are drawn.
    static func rateForUnitSNR(reference: ExposurePlan, science: [ExposurePlan], configuration c: NightConfiguration) -> Double {
        let referenceNoise = NoiseModel(exposure: reference, configuration: c)
        let (cx, cy) = (Double(c.width - 1) / 2, Double(c.height - 1) / 2)
        let referenceSums = PSFSums(profile: MoffatProfile(fwhm: reference.fwhm, beta: reference.beta))
        let referenceVariance = referenceNoise.backgroundVariance(x: cx, y: cy) / referenceSums.squares
        let sigmas = science.map { exposure -> Double in
            let noise = NoiseModel(exposure: exposure, configuration: c)
            let sums = PSFSums(profile: MoffatProfile(fwhm: exposure.fwhm, beta: exposure.beta))
            let scale = referenceNoise.throughput / noise.throughput
            return (scale * scale * noise.backgroundVariance(x: cx, y: cy) / sums.squares + referenceVariance).squareRoot()
        }.sorted()
        let median = sigmas.isEmpty ? referenceVariance.squareRoot()
            : (sigmas[(sigmas.count - 1) / 2] + sigmas[sigmas.count / 2]) / 2
        return median * referenceNoise.gain / referenceNoise.throughput
    }
}
