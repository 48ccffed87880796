import FFT
import Imaging

/// Proper image subtraction (Zackay, Ofek & Gal-Yam 2016, ApJ 830, 27) with
/// FFTW: from an aligned new image and its reference to D, P_D, S and S_corr.
///
/// Plans come from an ``FFT/FFTPlanner``, so images of one size never plan
/// twice. The subtraction itself is a pure function of its input.
public struct ZOGY: Sendable {
    /// Where FFT plans come from (and are cached).
    public let planner: FFTPlanner

    /// A subtractor that plans with `planner`.
    public init(planner: FFTPlanner = .shared) {
        self.planner = planner
    }

    /// Subtracts `input.reference` from `input.new`.
    ///
    /// The images are zero-padded to an FFT-friendly size (factors 2, 3, 5, 7
    /// only) and the products cropped back, so odd detector sizes cost no
    /// more than their neighbours.
    public func subtract(_ input: ZOGYInput) throws -> ZOGYResult {
        try validate(input)
        let width = input.new.image.width, height = input.new.image.height
        let paddedWidth = FFTSize.good(atLeast: width), paddedHeight = FFTSize.good(atLeast: height)
        let plan = try planner.plan(width: paddedWidth, height: paddedHeight)
        let n = cleaned(input.new).padded(toWidth: paddedWidth, height: paddedHeight)
        let r = cleaned(input.reference).padded(toWidth: paddedWidth, height: paddedHeight)
        let nHat = plan.forward(n), rHat = plan.forward(r)
        let spectra = ZOGYSpectra(
            n: nHat, r: rHat,
            pn: plan.forward(input.newPSF.centeredAtOrigin(width: paddedWidth, height: paddedHeight)),
            pr: plan.forward(input.referencePSF.centeredAtOrigin(width: paddedWidth, height: paddedHeight)),
            sigmaN: input.newSigma, sigmaR: input.referenceSigma, fn: input.fluxRatio)
        let difference = plan.inverse(spectra.difference).cropped(toWidth: width, height: height)
        let fullScore = plan.inverse(spectra.score)
        let variance = scoreVariance(input, n: n, r: r, nHat: nHat, score: fullScore, spectra: spectra, plan: plan)
            .cropped(toWidth: width, height: height)
        let score = fullScore.cropped(toWidth: width, height: height)
        var corrected = score
        for i in 0..<corrected.count {
            let v = variance.pixels[i]
            corrected.pixels[i] = v > 0 ? score.pixels[i] / v.squareRoot() : 0
        }
        let kernelRadius = max(input.newPSF.size, input.referencePSF.size) / 2
        let mask = mergedMask(input, radius: kernelRadius)
        let psfSide = max(input.newPSF.size, input.referencePSF.size)
        let pd = PSFModel(stamp: Self.stamp(plan.inverse(spectra.differencePSF), side: psfSide), starsUsed: 0)
        let rawStd = NoiseEstimate.robustStd(corrected, mask: mask)
        var normalization = 1.0
        if input.normalizeScore {
            let normalized = ScoreNormalization.apply(corrected, mask: mask)
            corrected = normalized.image
            normalization = normalized.medianRMS
        }
        return ZOGYResult(
            difference: difference, differencePSF: pd, score: score, scoreVariance: variance,
            scoreCorrected: corrected, scoreNormalization: normalization, fluxScale: spectra.fluxScale,
            differenceZeroPoint: spectra.differenceZeroPoint, mask: mask,
            differenceStd: NoiseEstimate.robustStd(difference, mask: mask), scoreCorrectedStd: rawStd)
    }

    private func validate(_ input: ZOGYInput) throws {
        let n = input.new.image, r = input.reference.image
        guard n.width == r.width, n.height == r.height else {
            throw SubtractionError(reason: "new image is \(n.width)x\(n.height) but reference is \(r.width)x\(r.height); align first")
        }
        guard input.newSigma > 0, input.referenceSigma > 0 else {
            throw SubtractionError(reason: "background sigmas must be positive (new \(input.newSigma), reference \(input.referenceSigma))")
        }
        guard input.fluxRatio > 0, input.fluxRatio.isFinite else {
            throw SubtractionError(reason: "flux ratio F_n/F_r must be positive and finite, got \(input.fluxRatio)")
        }
    }

    /// The image with NaN pixels and unrepaired defects set to the background
    /// (zero). Interpolated pixels keep their repaired values.
    private func cleaned(_ masked: MaskedImage) -> Image<Float> {
        var out = masked.image
        for i in 0..<out.count where out.pixels[i].isNaN || masked.mask.pixels[i].needsZeroing {
            out.pixels[i] = 0
        }
        return out
    }

    /// V_S = V(N) ⊗ k_n² + V(R) ⊗ k_r² + V_ast (eqs. 25–33), where V(X) is the
    /// background variance plus the source's Poisson variance.
    private func scoreVariance(_ input: ZOGYInput, n: Image<Float>, r: Image<Float>, nHat: Spectrum,
                               score: Image<Float>, spectra: ZOGYSpectra, plan: FFTPlan) -> Image<Float> {
        let kn = plan.inverse(spectra.newKernel), kr = plan.inverse(spectra.referenceKernel)
        let vn = sourceVariance(n, sigma: input.newSigma, gain: input.newGain)
        let vr = sourceVariance(r, sigma: input.referenceSigma, gain: input.referenceGain)
        let vsn = plan.inverse(plan.forward(vn).multiplied(by: plan.forward(kn.map { $0 * $0 })))
        let vsr = plan.inverse(plan.forward(vr).multiplied(by: plan.forward(kr.map { $0 * $0 })))
        var total = vsn
        for i in 0..<total.count { total.pixels[i] += vsr.pixels[i] }
        let sx2 = Float(input.astrometricSigmaX * input.astrometricSigmaX)
        let sy2 = Float(input.astrometricSigmaY * input.astrometricSigmaY)
        if sx2 > 0 || sy2 > 0 {
            // S_n = k_n ⊗ N and S_r = S_n − S, differentiated by central
            // differences.
            let sn = plan.inverse(nHat.multiplied(by: spectra.newKernel))
            var sr = sn
            for i in 0..<sr.count { sr.pixels[i] -= score.pixels[i] }
            addAstrometric(&total, sn, sx2: sx2, sy2: sy2)
            addAstrometric(&total, sr, sx2: sx2, sy2: sy2)
        }
        return total
    }

    private func sourceVariance(_ image: Image<Float>, sigma: Double, gain: Double?) -> Image<Float> {
        let background = Float(sigma * sigma)
        guard let gain, gain > 0 else { return Image(width: image.width, height: image.height, repeating: background) }
        let inverseGain = Float(1 / gain)
        return image.map { background + max($0, 0) * inverseGain }
    }

    private func addAstrometric(_ total: inout Image<Float>, _ s: Image<Float>, sx2: Float, sy2: Float) {
        let w = s.width, h = s.height
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                let i = y * w + x
                let gx = 0.5 * (s.pixels[i + 1] - s.pixels[i - 1])
                let gy = 0.5 * (s.pixels[i + w] - s.pixels[i - w])
                total.pixels[i] += sx2 * gx * gx + sy2 * gy * gy
            }
        }
    }

    private func mergedMask(_ input: ZOGYInput, radius: Int) -> Image<MaskBits> {
        var mask = input.new.mask
        for i in 0..<mask.count { mask.pixels[i].formUnion(input.reference.mask.pixels[i]) }
        // Residuals ring for a kernel width around anything zeroed, and the
        // FFT wraps light across the borders. Interpolated pixels leave only
        // a small residual, so their exclusion zone is small.
        // No data is the edge of the usable footprint (the science image's
        // overlap with the reference): its surround is `.edge`, like the
        // border. Zeroed defects inside the footprint ring as `.nearDefect`.
        mask.grow(.noData, by: radius, setting: .edge)
        let defects = mask.pixels.map { $0.needsZeroing && !$0.contains(.noData) }
        let grown = BoxDilation.dilate(defects, width: mask.width, height: mask.height, radius: radius)
        for i in 0..<mask.count where grown[i] { mask.pixels[i].insert(.nearDefect) }
        mask.grow(.interpolated, by: 2, setting: .nearDefect)
        for y in 0..<mask.height {
            for x in 0..<mask.width where x < radius || y < radius || x >= mask.width - radius || y >= mask.height - radius {
                mask[x, y].insert(.edge)
            }
        }
        return mask
    }

    /// A centred `side`×`side` stamp cut from an image centred at the origin.
    static func stamp(_ image: Image<Float>, side: Int) -> Image<Float> {
        var out = Image<Float>(width: side, height: side, repeating: 0)
        let c = side / 2
        for y in 0..<side {
            for x in 0..<side {
                let xx = ((x - c) % image.width + image.width) % image.width
                let yy = ((y - c) % image.height + image.height) % image.height
                out[x, y] = image[xx, yy]
            }
        }
        return out
    }
}
