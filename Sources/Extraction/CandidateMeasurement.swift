import Imaging
import Subtraction

/// Measures one peak into a candidate. Holds what every candidate of one
/// extraction shares: the images, the P_D scale and the reference catalogue.
struct CandidateMeasurement {
    let result: ZOGYResult
    let new: MaskedImage
    let reference: MaskedImage
    let parameters: ExtractionParameters
    let zeroPoint: Double?
    /// FWHM of P_D, pixels: the unit of every "in FWHM" parameter.
    let psfFWHM: Double
    /// The share of P_D inside the `magdiff` aperture.
    let psfApertureFraction: Double
    let catalogue: ReferenceCatalogue
    let edges: EdgeDistance

    init(result: ZOGYResult, new: MaskedImage, reference: MaskedImage, referenceStars: [Star], zeroPoint: Double?,
         psfFWHM: Double, parameters: ExtractionParameters) {
        self.result = result
        self.new = new
        self.reference = reference
        self.parameters = parameters
        self.zeroPoint = zeroPoint
        self.psfFWHM = psfFWHM
        let psf = result.differencePSF
        let centre = Double(psf.size / 2)
        psfApertureFraction = Photometry.apertureSum(
            psf.stamp, mask: nil, center: PixelPoint(x: centre, y: centre),
            radius: parameters.apertureRadiusInFWHM * psfFWHM)
        catalogue = ReferenceCatalogue(
            stars: referenceStars, searchRadius: parameters.referenceSearchRadius,
            brightFluxLimit: parameters.brightStarFluxLimit(zeroPoint: zeroPoint),
            brightRadius: parameters.brightStarRadiusInFWHM * psfFWHM, zeroPoint: zeroPoint)
        edges = EdgeDistance(mask: result.mask)
    }

    /// Half the side of the D cutout: room for the widest window (dipole,
    /// aperture, or ~2.5 FWHM for the moments) after the largest accepted
    /// centroid shift.
    var cutoutHalfSize: Int {
        let reach = max(2.5, parameters.dipoleRadiusInFWHM, parameters.apertureRadiusInFWHM) * psfFWHM
        return max(16, Int((reach + parameters.maximumCentroidShift).rounded(.up)) + 3)
    }

    /// The candidate for `peak`; ra/dec are left NaN for the batch
    /// conversion.
    func measure(_ peak: Peak, index: Int) -> Candidate {
        let cutout = Cutout(difference: result.difference, mask: result.mask, x: peak.x, y: peak.y,
                            halfSize: cutoutHalfSize, sign: peak.sign)
        let position = Position.measure(cutout: cutout, scoreCorrected: result.scoreCorrected, peak: peak,
                                        sigma: psfFWHM / 2.3548, maximumShift: parameters.maximumCentroidShift)
        let (flux, fluxError) = Photometry.psfFlux(score: result.score, scoreVariance: result.scoreVariance,
                                                   at: position, fluxScale: result.fluxScale)
        let (mag, magError) = Photometry.magnitudes(flux: flux, error: fluxError, zeroPoint: zeroPoint)
        let shape = Shape.measure(cutout: cutout, at: position, psfFWHM: psfFWHM)
        let scorr = Double(peak.sign * peak.significance)
        let box = Features.box(cutout: cutout, at: position)
        let features = self.features(cutout: cutout, position: position, flux: flux, shape: shape, box: box,
                                     scorr: scorr)
        let (stamps, truncated) = Stamps.cut(
            new: new.image, reference: reference.image, difference: result.difference, mask: result.mask,
            at: position, side: parameters.oddStampSize)
        let flags = Flags.flags(Flags.Evidence(
            nbad: box.nbad, isBlended: peak.isBlended,
            isSaturatedNearby: Flags.isSaturatedNearby([new.mask, reference.mask], at: position,
                                                       radius: parameters.saturationRadiusInFWHM * psfFWHM),
            isStampTruncated: truncated, isPositive: peak.isPositive,
            isNearBrightStar: catalogue.isNearBrightStar(position)))
        return Candidate(
            index: index, position: position, peakX: peak.x, peakY: peak.y, ra: .nan, dec: .nan,
            flux: flux, fluxError: fluxError, snr: fluxError > 0 ? flux / fluxError : .nan,
            mag: mag, magError: magError, scorr: scorr, isPositive: peak.isPositive,
            fwhm: shape.fwhm, elongation: shape.elongation, ellipticity: shape.ellipticity,
            thetaDegrees: shape.thetaDegrees, flags: flags, features: features, stamps: stamps)
    }

    private func features(cutout: Cutout, position: PixelPoint, flux: Double, shape: ShapeMeasurement,
                          box: Features.Box, scorr: Double) -> CandidateFeatures {
        let nearest = catalogue.nearest(to: position)
        return CandidateFeatures(
            nneg: box.nneg, nbad: box.nbad, sumrat: box.sumrat,
            magdiff: Features.magdiff(
                cutout: cutout, at: position, radius: parameters.apertureRadiusInFWHM * psfFWHM,
                differenceZeroPoint: result.differenceZeroPoint, psfFraction: psfApertureFraction, psfFlux: flux),
            elong: shape.elongation, scorr: scorr,
            dipole: Features.dipole(cutout: cutout, at: position, radius: parameters.dipoleRadiusInFWHM * psfFWHM),
            distnr: nearest.distance, magnr: nearest.magnitude,
            edgeDistance: edges.distance(from: position),
            aimagerat: shape.a / psfFWHM, bimagerat: shape.b / psfFWHM, fwhmRatio: shape.fwhm / psfFWHM,
            sizenr: nearest.size)
    }
}
