import Extraction
import FFT
import Imaging
import Preprocessing
import Subtraction
import WCS

/// Why a science image could not be differenced against its reference.
public struct DifferenceError: Error, CustomStringConvertible, Sendable {
    /// The science image (file) concerned.
    public let image: String
    /// What went wrong.
    public let reason: String
    public var description: String { "\(image): \(reason)" }
}

/// From a raw science exposure and a prepared reference of its field to
/// measured candidates: preprocess → register on stars → resample onto the
/// reference grid → PSF of the aligned image → flux ratio → ZOGY → extract.
///
/// Pure: no files, sockets or SQL. FFT plans come from the planner and are
/// reused for every image of the same size.
public struct DifferencePipeline: Sendable {
    /// The parameters every step uses.
    public var parameters: DifferenceParameters
    /// The ZOGY subtractor (and through it the FFT plan cache).
    public let zogy: ZOGY

    /// A pipeline with `parameters`, planning FFTs with `planner`.
    public init(parameters: DifferenceParameters = DifferenceParameters(), planner: FFTPlanner = .shared) {
        self.parameters = parameters
        self.zogy = ZOGY(planner: planner)
    }

    /// Preprocesses a reference once, for all the science images of its field.
    public func prepareReference(_ exposure: Exposure) throws -> PreparedReference {
        do {
            let prepared = try Preprocessor.run(exposure.pixels, saturate: exposure.saturate, gain: exposure.gain,
                                                whiteNoise: exposure.skySigma, parameters: parameters.preprocess)
            return PreparedReference(exposure: exposure, prepared: prepared)
        } catch {
            throw DifferenceError(image: exposure.name, reason: "\(error)")
        }
    }

    /// The first half of a difference: the science image preprocessed,
    /// registered and resampled onto the reference grid, with its PSF and
    /// flux ratio. Stacking uses it alone.
    public func align(_ science: Exposure, onto reference: PreparedReference) throws -> AlignedExposure {
        var clock = StepClock()
        return try align(science, onto: reference, clock: &clock)
    }

    /// Differences `science` against `reference`.
    public func run(_ science: Exposure, against reference: PreparedReference) throws -> DifferenceResult {
        var clock = StepClock()
        let a = try align(science, onto: reference, clock: &clock)
        let zogyResult = try clock.time("subtract") {
            try wrap(science) {
                try subtract(a.aligned, psf: a.alignedPSF, sigma: a.newSigma, fluxRatio: a.fluxRatio,
                             astrometricSigma: astrometricSigma(a.registration), gain: science.gain, against: reference)
            }
        }
        let extraction = clock.time("extract") { extract(zogyResult, aligned: a.aligned, reference: reference) }
        return DifferenceResult(
            science: a.science, aligned: a.aligned, alignedPSF: a.alignedPSF, registration: a.registration,
            astrometricRMSPixels: a.registration.rmsPixels,
            astrometricRMSArcsec: a.registration.rmsPixels * reference.wcs.pixelScale,
            fluxRatio: a.fluxRatio, fluxRatioScatter: a.fluxRatioScatter, fluxRatioStars: a.fluxRatioStars,
            zogy: zogyResult, extraction: extraction, timings: clock.timings)
    }

    /// ZOGY on an aligned image (the difference stage's part).
    ///
    /// - Parameters:
    ///   - sigma: the aligned image's white-equivalent background σ.
    ///   - astrometricSigma: the registration error, pixels (see ``astrometricSigma(_:)``).
    public func subtract(_ aligned: MaskedImage, psf: PSFModel, sigma: Double, fluxRatio: Double,
                         astrometricSigma: Double, gain: Double?, against reference: PreparedReference) throws -> ZOGYResult {
        var input = ZOGYInput(
            new: aligned, reference: reference.prepared.masked, newPSF: psf, referencePSF: reference.prepared.psf,
            newSigma: sigma, referenceSigma: reference.prepared.effectiveSigma, fluxRatio: fluxRatio, newGain: gain,
            referenceGain: reference.exposure.gain, astrometricSigmaX: astrometricSigma, astrometricSigmaY: astrometricSigma)
        input.normalizeScore = parameters.normalizeScore
        return try zogy.subtract(input)
    }

    /// Candidates from a subtraction (the extract stage's part).
    public func extract(_ zogy: ZOGYResult, aligned: MaskedImage, reference: PreparedReference) -> ExtractionOutput {
        CandidateExtractor.extract(result: zogy, new: aligned, reference: reference.prepared.masked,
                                   referenceStars: reference.prepared.stars, referenceWCS: reference.wcs,
                                   zeroPoint: reference.exposure.zeroPoint, parameters: parameters.extraction)
    }

    private func align(_ science: Exposure, onto reference: PreparedReference,
                       clock: inout StepClock) throws -> AlignedExposure {
        let prepared = try clock.time("preprocess") {
            try wrap(science) {
                try Preprocessor.run(science.pixels, saturate: science.saturate, gain: science.gain,
                                     whiteNoise: science.skySigma, parameters: parameters.preprocess)
            }
        }
        let registration = try clock.time("register") {
            try wrap(science) {
                try StarMatcher.register(science: prepared.stars, reference: reference.prepared.stars,
                                         predict: Self.predictor(from: science.wcs, to: reference.wcs),
                                         parameters: parameters.match)
            }
        }
        let aligned = clock.time("resample") {
            Resampler.resample(prepared.masked, width: reference.width, height: reference.height,
                               outputToSource: registration.referenceToScience)
        }
        let psf = clock.time("psf") { alignedPSF(aligned, prepared: prepared, registration: registration) }
        let jacobian = registration.referenceToScience.jacobianDeterminant(
            at: PixelPoint(x: Double(reference.width) / 2, y: Double(reference.height) / 2))
        let newSigma = prepared.effectiveSigma * jacobian
        let ratio = try clock.time("flux_ratio") {
            try fluxRatio(aligned, psf: psf, rms: newSigma, reference: reference,
                          registration: registration, science: science)
        }
        return AlignedExposure(science: prepared, aligned: aligned, alignedPSF: psf, registration: registration,
                               newSigma: newSigma, fluxRatio: ratio.ratio, fluxRatioScatter: ratio.scatter,
                               fluxRatioStars: ratio.stars)
    }

    /// Science array pixel → sky (science WCS) → reference array pixel.
    static func predictor(from science: WCSTransform, to reference: WCSTransform) -> (PixelPoint) -> PixelPoint? {
        { point in
            guard let sky = try? science.pixelToSky(arrayX: point.x, arrayY: point.y),
                  let pixel = try? reference.skyToArrayPixel(ra: sky.ra, dec: sky.dec) else { return nil }
            return PixelPoint(x: pixel.x, y: pixel.y)
        }
    }

    /// The PSF measured on the aligned image at the science stars' mapped
    /// positions; the science image's own PSF if too few survive.
    private func alignedPSF(_ aligned: MaskedImage, prepared: PreprocessedImage, registration: Registration) -> PSFModel {
        let mapped = prepared.stars.map { star -> Star in
            var moved = star
            moved.position = registration.scienceToReference.apply(star.position)
            return moved
        }.filter { aligned.image.contains(x: Int($0.position.x.rounded()), y: Int($0.position.y.rounded())) }
        return (try? PSFEstimator.estimate(aligned.image, stars: mapped, mask: aligned.mask,
                                           saturation: prepared.saturationAboveBackground,
                                           parameters: parameters.preprocess.psf)) ?? prepared.psf
    }

    private func fluxRatio(_ aligned: MaskedImage, psf: PSFModel, rms: Double, reference: PreparedReference,
                           registration: Registration, science: Exposure) throws -> FluxRatio.Fit {
        let positions = registration.pairs.map { reference.prepared.stars[$0.reference].position }
        guard let fit = FluxRatio.fit(new: aligned, newPSF: psf, newRMS: rms, reference: reference.prepared.masked,
                                      referencePSF: reference.prepared.psf, referenceRMS: reference.prepared.effectiveSigma,
                                      positions: positions, minimumSNR: parameters.fluxRatioMinimumSNR) else {
            throw DifferenceError(image: science.name,
                                  reason: "too few clean matched stars (of \(positions.count)) to fit the flux ratio")
        }
        return fit
    }

    /// The uncertainty of the fitted map, not the scatter of single stars:
    /// rms × √(terms / matches), floored.
    public func astrometricSigma(_ registration: Registration) -> Double {
        astrometricSigma(rms: registration.rmsPixels, pairs: registration.pairs.count,
                         order: registration.referenceToScience.order)
    }

    /// The same from the registration's summary figures.
    public func astrometricSigma(rms: Double, pairs: Int, order: Int) -> Double {
        let terms = Double((order + 1) * (order + 2) / 2)
        return max(parameters.minimumAstrometricSigma, rms * (terms / Double(max(1, pairs))).squareRoot())
    }

    private func wrap<T>(_ science: Exposure, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DifferenceError { throw error } catch {
            throw DifferenceError(image: science.name, reason: "\(error)")
        }
    }
}
