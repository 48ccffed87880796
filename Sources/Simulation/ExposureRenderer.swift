import Imaging

/// Renders one exposure: expected electrons from the sky and every source,
/// charge bleeding, photon and read noise, artifacts and saturation, then
/// ADU. The order follows the physics: light is blurred by the PSF and
/// collected; cosmic rays and defects act on the detector; the ADC clips.
struct ExposureRenderer {
    /// What the truth table needs to know about what was drawn.
    struct Result {
        /// The image in ADU.
        let image: Image<Float>
        /// The cosmic rays deposited.
        let cosmicRays: [CosmicRay]
        /// e⁻ per pixel of length of the trail, when there is one.
        let trailElectrons: Double?
        /// Change of the bad column's pixels in e⁻ (negative for a dead column).
        let badColumnElectrons: Double?
    }

    let scene: ExposureScene
    let field: FieldPlan
    let detector: Detector
    let noise: NoiseModel
    let configuration: NightConfiguration

    func render() -> Result {
        let (w, h) = (configuration.width, configuration.height)
        let e = scene.exposure
        var expected = [Float](repeating: 0, count: w * h)
        var trailElectrons: Double?
        expected.withUnsafeMutableBufferPointer { pixels in
            addSky(pixels)
            addSources(pixels)
            if let trail = e.trail {
                let flux = TrailRenderer.electronsPerPixel(trail, backgroundSigma: noise.backgroundSigma)
                TrailRenderer.add(trail, electronsPerPixel: flux, into: pixels, width: w, height: h)
                trailElectrons = flux
            }
            if e.hasArtifacts {
                for hot in detector.hotPixels {
                    pixels[hot.y * w + hot.x] += Float(hot.electronsPer60s * e.exposureTime / 60)
                }
            }
            ChargeBleed.apply(fullWell: noise.fullWell, pixels: pixels, width: w, height: h)
        }
        let dead = e.hasArtifacts && detector.badColumn?.dead == true ? detector.badColumn : nil
        var deadLoss = 0.0
        if let dead {
            // A dead column collects nothing; only its read noise remains.
            for row in dead.firstRow...dead.lastRow {
                deadLoss += Double(expected[row * w + dead.x])
                expected[row * w + dead.x] = 0
            }
        }
        var output = [Float](repeating: 0, count: w * h)
        var noiseStream = RandomStream.image(e.field, streamImage(e), .noise, seed: configuration.seed)
        expected.withUnsafeBufferPointer { model in
            output.withUnsafeMutableBufferPointer { out in
                NoiseSampler.sample(expected: model, into: out, readVariance: noise.readVariance, gain: noise.gain,
                                    random: &noiseStream)
            }
        }
        var rays = [CosmicRay]()
        var badColumnElectrons: Double?
        if e.hasArtifacts {
            var rayStream = RandomStream.image(e.field, streamImage(e), .cosmicRays, seed: configuration.seed)
            rays = CosmicRay.draw(&rayStream, exposureTime: e.exposureTime, width: w, height: h,
                                  artifacts: configuration.artifacts)
            for ray in rays {
                for deposit in ray.deposits { output[deposit.index] += Float(deposit.electrons / noise.gain) }
            }
            if let bad = detector.badColumn {
                let rows = Double(bad.lastRow - bad.firstRow + 1)
                badColumnElectrons = bad.dead ? -deadLoss / rows : bad.sigma * noise.backgroundSigma
                if !bad.dead {
                    let offset = Float(bad.sigma * noise.backgroundSigma / noise.gain)
                    for row in bad.firstRow...bad.lastRow { output[row * w + bad.x] += offset }
                }
            }
        }
        expected.withUnsafeBufferPointer { model in
            output.withUnsafeMutableBufferPointer { out in
                NoiseSampler.saturate(out, expected: model, fullWell: noise.fullWell, saturation: noise.saturation)
            }
        }
        return Result(image: Image(width: w, height: h, pixels: output), cosmicRays: rays,
                      trailElectrons: trailElectrons, badColumnElectrons: badColumnElectrons)
    }

    /// The sky with its linear gradient, row by row.
    private func addSky(_ pixels: UnsafeMutableBufferPointer<Float>) {
        let (w, h) = (configuration.width, configuration.height)
        for y in 0..<h {
            let start = noise.sky(x: 0, y: Double(y)), step = noise.sky(x: 1, y: Double(y)) - start
            for x in 0..<w { pixels[y * w + x] = Float(start + step * Double(x)) }
        }
    }

    /// Stars, galaxies, transients and moving objects, all through the PSF.
    private func addSources(_ pixels: UnsafeMutableBufferPointer<Float>) {
        let (w, h) = (configuration.width, configuration.height)
        let e = scene.exposure
        let profile = MoffatProfile(fwhm: e.fwhm, beta: e.beta)
        let points = PointSourceRenderer(profile: profile, noise: noise.backgroundSigma)
        func add(_ point: ExposureScene.Point, electrons: Double? = nil) {
            let a = fitsToArray(PixelPoint(x: point.x, y: point.y))
            points.add(flux: electrons ?? point.electrons, x: a.x, y: a.y, into: pixels, width: w, height: h)
        }
        scene.stars.forEach { add($0) }
        var galaxies = GalaxyRenderer(psf: profile)
        for (k, galaxy) in scene.galaxies.enumerated() {
            let a = fitsToArray(PixelPoint(x: galaxy.point.x, y: galaxy.point.y))
            galaxies.add(field.galaxies[k].profile, flux: galaxy.point.electrons, x: a.x, y: a.y,
                         jacobian: galaxy.jacobian, into: pixels, width: w, height: h)
        }
        scene.transients.forEach { add($0) }
        for object in scene.moving {
            let share = object.point.electrons / Double(object.path.count)
            for step in object.path {
                add(ExposureScene.Point(x: step.x, y: step.y, electrons: share))
            }
        }
    }

    private func streamImage(_ e: ExposurePlan) -> RandomStream.Image {
        switch e.kind {
        case .science: .science(epoch: e.epoch)
        case .reference: .reference
        case .referenceExposure: .referenceExposure(e.referenceIndex)
        }
    }
}
