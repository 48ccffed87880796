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
        var (expected, trailElectrons) = expectedElectrons()
        let deadLoss = clearDeadColumn(&expected)
        var output = [Float](repeating: 0, count: w * h)
        var noiseStream = RandomStream.image(scene.exposure.field, streamImage, .noise, seed: configuration.seed)
        expected.withUnsafeBufferPointer { model in
            output.withUnsafeMutableBufferPointer { out in
                NoiseSampler.sample(expected: model, into: out, readVariance: noise.readVariance, gain: noise.gain,
                                    random: &noiseStream)
            }
        }
        let (rays, badColumnElectrons) = addDetectorArtifacts(&output, deadLoss: deadLoss)
        expected.withUnsafeBufferPointer { model in
            output.withUnsafeMutableBufferPointer { out in
                NoiseSampler.saturate(out, expected: model, fullWell: noise.fullWell, saturation: noise.saturation)
            }
        }
        return Result(image: Image(width: w, height: h, pixels: output), cosmicRays: rays,
                      trailElectrons: trailElectrons, badColumnElectrons: badColumnElectrons)
    }

    /// Expected electrons per pixel: sky, sources, a trail and hot pixels'
    /// dark charge, after charge bleeding; and the trail's e⁻ per pixel of length.
    private func expectedElectrons() -> ([Float], Double?) {
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
                    pixels[hot.y * w + hot.x] += Float(hot.electronsPerMinute * e.exposureTime / 60)
                }
            }
            ChargeBleed.apply(fullWell: noise.fullWell, pixels: pixels, width: w, height: h)
        }
        return (expected, trailElectrons)
    }

    /// A dead column collects nothing, so only its read noise remains.
    /// Returns the electrons it lost in total.
    private func clearDeadColumn(_ expected: inout [Float]) -> Double {
        guard scene.exposure.hasArtifacts, let dead = detector.badColumn, dead.dead else { return 0 }
        var lost = 0.0
        for row in dead.firstRow...dead.lastRow {
            lost += Double(expected[row * configuration.width + dead.x])
            expected[row * configuration.width + dead.x] = 0
        }
        return lost
    }

    /// Cosmic rays (charge after the optics) and a hot column's offset,
    /// added to the noisy image in ADU. Returns the rays and the bad
    /// column's change per pixel in e⁻.
    private func addDetectorArtifacts(_ output: inout [Float], deadLoss: Double) -> ([CosmicRay], Double?) {
        let e = scene.exposure
        guard e.hasArtifacts else { return ([], nil) }
        var rayStream = RandomStream.image(e.field, streamImage, .cosmicRays, seed: configuration.seed)
        let rays = CosmicRay.draw(&rayStream, exposureTime: e.exposureTime, width: configuration.width,
                                  height: configuration.height, artifacts: configuration.artifacts)
        for ray in rays {
            for deposit in ray.deposits { output[deposit.index] += Float(deposit.electrons / noise.gain) }
        }
        guard let bad = detector.badColumn else { return (rays, nil) }
        if bad.dead { return (rays, -deadLoss / Double(bad.lastRow - bad.firstRow + 1)) }
        let offset = bad.sigma * noise.backgroundSigma
        for row in bad.firstRow...bad.lastRow { output[row * configuration.width + bad.x] += Float(offset / noise.gain) }
        return (rays, offset)
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
        func add(_ point: ExposureScene.Point) {
            let a = fitsToArray(PixelPoint(x: point.x, y: point.y))
            points.add(flux: point.electrons, x: a.x, y: a.y, into: pixels, width: w, height: h)
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

    /// The exposure's key among the random streams.
    private var streamImage: RandomStream.Image {
        let e = scene.exposure
        return switch e.kind {
        case .science: .science(epoch: e.epoch)
        case .reference: .reference
        case .referenceExposure: .referenceExposure(e.referenceIndex)
        }
    }
}
