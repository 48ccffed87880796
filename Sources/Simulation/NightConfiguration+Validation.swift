extension NightConfiguration {
    /// Checks every value and the combinations that must hold, so that a bad
    /// configuration stops before anything is written.
    /// - Throws: ``SimulationError`` with ``SimulationError/Code/invalidConfiguration``
    ///   and the dotted key at fault (e.g. `conditions.fwhm`).
    public func validate() throws(SimulationError) {
        try need(seed <= UInt64(Int64.max), "seed", "must be at most 2^63 - 1, got \(seed)")
        try need((1...1000).contains(fields), "fields", "must be 1 ... 1000, got \(fields)")
        try need((1...1000).contains(epochs), "epochs", "must be 1 ... 1000, got \(epochs)")
        try need((64...16384).contains(width), "width", "must be 64 ... 16384 pixels, got \(width)")
        try need((64...16384).contains(height), "height", "must be 64 ... 16384 pixels, got \(height)")
        try need((0...100).contains(referenceExposures), "reference_exposures",
                 "must be 0 ... 100, got \(referenceExposures)")
        try validateNight()
        try validateCamera()
        try validateConditions()
        try validateSources()
        try validateInjections()
        try validateArtifacts()
    }

    private func validateNight() throws(SimulationError) {
        try need(NightClock.mjd(iso: night.start) != nil, "night.start",
                 "must be a UTC date and time YYYY-MM-DDThh:mm:ss, got '\(night.start)'")
        try need(night.durationHours > 0 && night.durationHours <= 16, "night.duration_hours",
                 "must be in (0, 16], got \(night.durationHours)")
        try need(night.referenceDaysBefore >= 1 && night.referenceDaysBefore <= 3650, "night.reference_days_before",
                 "must be 1 ... 3650, got \(night.referenceDaysBefore)")
        try need(abs(night.siteLatitude) <= 90, "night.site_latitude",
                 "must be a latitude in [-90, 90] degrees, got \(night.siteLatitude)")
        try need(!night.filter.isEmpty && night.filter.count <= 60 && night.filter.utf8.allSatisfy { (0x20...0x7E).contains($0) },
                 "night.filter", "must be 1-60 printable ASCII characters, got '\(night.filter)'")
        // One telescope: every field's exposure of an epoch must fit in the
        // epoch's share of the night, with an overhead for slewing and readout.
        let slot = NightSchedule.slotSeconds(exposure: camera.exposure)
        let share = night.durationHours * 3600 / Double(epochs)
        try need(Double(fields) * slot <= share, "epochs",
                 "\(fields) fields x \(epochs) epochs of \(Int(slot)) s slots do not fit in a \(night.durationHours) h night")
    }

    private func validateCamera() throws(SimulationError) {
        try need(camera.pixelScale > 0 && camera.pixelScale <= 100, "camera.pixel_scale",
                 "must be in (0, 100] arcsec/pixel, got \(camera.pixelScale)")
        try need(camera.gain > 0 && camera.gain.isFinite, "camera.gain", "must be > 0 e-/ADU, got \(camera.gain)")
        try need(camera.readNoise >= 0 && camera.readNoise.isFinite, "camera.read_noise",
                 "must be >= 0 e-, got \(camera.readNoise)")
        try need(camera.saturation > 0 && camera.saturation.isFinite, "camera.saturation",
                 "must be > 0 ADU, got \(camera.saturation)")
        try need(camera.exposure > 0 && camera.exposure <= 3600, "camera.exposure",
                 "must be in (0, 3600] seconds, got \(camera.exposure)")
        try need((1...1000).contains(camera.referenceDepth), "camera.reference_depth",
                 "must be 1 ... 1000, got \(camera.referenceDepth)")
        try need(camera.zeroPoint.isFinite, "camera.zero_point", "must be finite, got \(camera.zeroPoint)")
    }

    private func validateConditions() throws(SimulationError) {
        try conditions.fwhm.check("conditions.fwhm", within: 0.8...20)
        try conditions.referenceFWHM.check("conditions.reference_fwhm", within: 0.8...20)
        try conditions.beta.check("conditions.beta", within: 1.5...10)
        try conditions.transparency.check("conditions.transparency", within: 0.01...1)
        try conditions.referenceTransparency.check("conditions.reference_transparency", within: 0.01...1)
        try conditions.sky.check("conditions.sky", within: 1...1e7)
        try conditions.skyGradient.check("conditions.sky_gradient", within: 0...0.5)
        try need(conditions.pointingOffset >= 0 && conditions.pointingOffset < Double(min(width, height)) / 2,
                 "conditions.pointing_offset",
                 "must be 0 ... less than half the image (\(min(width, height) / 2) px), got \(conditions.pointingOffset)")
        try need(conditions.rotation >= 0 && conditions.rotation <= 10, "conditions.rotation",
                 "must be 0 ... 10 degrees, got \(conditions.rotation)")
    }

    private func validateSources() throws(SimulationError) {
        try need(sources.starDensity >= 0 && sources.starDensity <= 1e6, "sources.star_density",
                 "must be 0 ... 1e6 per 2048^2 pixels, got \(sources.starDensity)")
        try sources.starMagnitudes.check("sources.star_magnitudes", within: -5...40)
        try need(sources.starCountSlope > 0 && sources.starCountSlope <= 5, "sources.star_count_slope",
                 "must be in (0, 5], got \(sources.starCountSlope)")
        try need(sources.galaxyDensity >= 0 && sources.galaxyDensity <= 1e5, "sources.galaxy_density",
                 "must be 0 ... 1e5 per 2048^2 pixels, got \(sources.galaxyDensity)")
        try sources.galaxyMagnitudes.check("sources.galaxy_magnitudes", within: -5...40)
        try need(sources.galaxyCountSlope > 0 && sources.galaxyCountSlope <= 5, "sources.galaxy_count_slope",
                 "must be in (0, 5], got \(sources.galaxyCountSlope)")
        try sources.halfLightRadius.check("sources.half_light_radius", within: 0.5...50)
        try sources.ellipticity.check("sources.ellipticity", within: 0...0.9)
        try fraction(sources.deVaucouleursFraction, "sources.de_vaucouleurs_fraction")
    }

    private func validateInjections() throws(SimulationError) {
        let i = injections
        try need((0...10000).contains(i.transientsPerField), "injections.transients_per_field",
                 "must be 0 ... 10000, got \(i.transientsPerField)")
        try fraction(i.supernovaFraction, "injections.supernova_fraction")
        try fraction(i.nearStarFraction, "injections.near_star_fraction")
        try need(i.supernovaFraction + i.nearStarFraction <= 1, "injections.near_star_fraction",
                 "supernova_fraction + near_star_fraction must be <= 1")
        try i.hostOffset.check("injections.host_offset", within: 0...10)
        try i.starOffset.check("injections.star_offset", within: 0...100)
        try i.transientSNR.check("injections.transient_snr", within: 0.01...1e5)
        try fraction(i.variableFraction, "injections.variable_fraction")
        try i.variableAmplitude.check("injections.variable_amplitude", within: 0...0.95)
        try i.variablePeriodHours.check("injections.variable_period_hours", within: 0.01...1e4)
        try need((0...1000).contains(i.movingPerField), "injections.moving_per_field",
                 "must be 0 ... 1000, got \(i.movingPerField)")
        try i.movingRate.check("injections.moving_rate", within: 0...36000)
        try i.movingSNR.check("injections.moving_snr", within: 0.01...1e5)
    }

    private func validateArtifacts() throws(SimulationError) {
        let a = artifacts
        try need(a.cosmicRayRate >= 0 && a.cosmicRayRate <= 1e5, "artifacts.cosmic_ray_rate",
                 "must be 0 ... 1e5 per 2048^2 pixels per 60 s, got \(a.cosmicRayRate)")
        try a.cosmicRayElectrons.check("artifacts.cosmic_ray_electrons", within: 1...1e7)
        try a.cosmicRayLength.check("artifacts.cosmic_ray_length", within: 1...100)
        try a.cosmicRayWidth.check("artifacts.cosmic_ray_width", within: 0.5...5)
        try fraction(a.singlePixelFraction, "artifacts.single_pixel_fraction")
        try need(a.hotPixelDensity >= 0 && a.hotPixelDensity <= 1e5, "artifacts.hot_pixel_density",
                 "must be 0 ... 1e5 per 2048^2 pixels, got \(a.hotPixelDensity)")
        try a.hotPixelElectrons.check("artifacts.hot_pixel_electrons", within: 1...1e7)
        try a.badColumnSigma.check("artifacts.bad_column_sigma", within: 0...1e4)
        try fraction(a.deadColumnProbability, "artifacts.dead_column_probability")
        try fraction(a.trailProbability, "artifacts.trail_probability")
        try a.trailSNR.check("artifacts.trail_snr", within: 0.01...1e5)
    }

    private func fraction(_ value: Double, _ key: String) throws(SimulationError) {
        try need(value >= 0 && value <= 1, key, "must be a fraction in [0, 1], got \(value)")
    }

    private func need(_ condition: Bool, _ key: String, _ problem: @autoclosure () -> String) throws(SimulationError) {
        if !condition { throw .configuration(key, problem()) }
    }
}
