import Foundation

/// How stars are found and measured.
public struct StarDetectionParameters: Sendable, Equatable {
    /// Detection threshold on the matched-filtered image, in σ of its noise.
    public var threshold: Double = 5
    /// Minimum connected pixels above threshold (SExtractor DETECT_MINAREA).
    public var minimumArea: Int = 5
    /// Sigma of the Gaussian matched filter, pixels. Seeing FWHM / 2.35 is
    /// ideal; 1.2 suits FWHM 2–4 px.
    public var filterSigma: Double = 1.2
    /// Aperture radius for fluxes, in units of the seeing FWHM estimate.
    public var apertureRadiusInFWHM: Double = 1.75
    /// First guess of the seeing FWHM, pixels; refined from the sources.
    public var seeingGuess: Double = 3
    /// Peaks closer than this many FWHM are flagged crowded.
    public var isolationInFWHM: Double = 4
    /// Detector gain, e⁻/ADU, for the source-noise part of flux errors; nil
    /// to use background noise only.
    public var gain: Double?
    /// At most this many sources are measured, brightest peaks first.
    public var maximumCount: Int = 20_000

    /// Defaults suited to survey images with 1.5–5 px seeing.
    public init() {}
}

/// Finds point-like sources: matched filter, threshold, segmentation, then a
/// windowed centroid, adaptive moments and aperture photometry per peak.
public enum StarDetector {
    /// Detects and measures sources on a background-subtracted image.
    ///
    /// - Parameters:
    ///   - image: background-subtracted pixels.
    ///   - rms: the background noise per pixel (``BackgroundModel/rmsImage()``).
    ///   - mask: pixels to ignore (``MaskBits/unusable``) and to flag.
    /// - Returns: sources sorted by decreasing flux.
    ///   - significance: ``significance(_:rms:filterSigma:)`` when the caller
    ///     already has it (preprocessing shares it with trail detection).
    public static func detect(_ image: Image<Float>, rms: Image<Float>, mask: Image<MaskBits>? = nil,
                              significance given: Image<Float>? = nil,
                              parameters: StarDetectionParameters = StarDetectionParameters()) -> [Star] {
        let significance = given ?? Self.significance(image, rms: rms, filterSigma: parameters.filterSigma)
        let segments = Segmentation.segments(in: significance, threshold: Float(parameters.threshold),
                                             minimumArea: parameters.minimumArea, mask: mask)
        let ordered = segments.sorted { $0.peakValue > $1.peakValue }
        let seeing = estimateSeeing(image, peaks: Array(ordered.prefix(200)), parameters: parameters)
        let window = max(2, Int((0.75 * seeing).rounded()))
        var stars: [Star] = []
        for segment in ordered {
            let peaks = localMaxima(significance, segment: segment, window: window)
            for peak in peaks {
                guard stars.count < parameters.maximumCount else { break }
                if var star = measure(image, rms: rms, mask: mask, peakIndex: peak, seeing: seeing,
                                      parameters: parameters) {
                    if peaks.count > 1 { star.flags.insert(.blended) }
                    stars.append(star)
                }
            }
        }
        flagCrowding(&stars, radius: parameters.isolationInFWHM * seeing)
        return stars.sorted { $0.flux > $1.flux }
    }

    /// The segment's local maxima: pixels at least as high as everything
    /// within `window` pixels (ties go to the first in scan order). A blend
    /// of stars gives one maximum per star.
    static func localMaxima(_ image: Image<Float>, segment: Segment, window: Int) -> [Int] {
        guard segment.area > 1 else { return [segment.peakIndex] }
        let w = image.width
        var peaks: [Int] = []
        for index in segment.pixels {
            let i = Int(index), x = i % w, y = i / w, v = image.pixels[i]
            var isPeak = true
            scan: for yy in max(0, y - window)...min(image.height - 1, y + window) {
                for xx in max(0, x - window)...min(w - 1, x + window) {
                    let j = yy * w + xx
                    let other = image.pixels[j]
                    if other > v || (other == v && j < i) {
                        isPeak = false
                        break scan
                    }
                }
            }
            if isPeak { peaks.append(i) }
        }
        return peaks.isEmpty ? [segment.peakIndex] : peaks.sorted { image.pixels[$0] > image.pixels[$1] }
    }

    /// The matched-filtered image in units of its own noise: the image
    /// smoothed by a Gaussian of `filterSigma` pixels, divided by the
    /// smoothed noise (rms × the filter's noise scale).
    public static func significance(_ image: Image<Float>, rms: Image<Float>, filterSigma: Double) -> Image<Float> {
        var significance = GaussianFilter.smooth(image, sigma: filterSigma)
        let scale = Float(GaussianFilter.noiseScale(sigma: filterSigma))
        for i in 0..<significance.count {
            let sigma = rms.pixels[i] * scale
            significance.pixels[i] = sigma > 0 ? significance.pixels[i] / sigma : 0
        }
        return significance
    }

    /// The median FWHM of the brightest compact sources: the scale for
    /// windows and apertures.
    static func estimateSeeing(_ image: Image<Float>, peaks: [Segment], parameters: StarDetectionParameters) -> Double {
        var widths: [Float] = []
        let sigma = parameters.seeingGuess / 2.3548
        for segment in peaks {
            let start = PixelPoint(x: Double(segment.peakIndex % image.width), y: Double(segment.peakIndex / image.width))
            if let shape = AdaptiveMoments.measure(image, center: start, initialSigma: sigma),
               shape.elongation < 1.5, shape.fwhm > 0.8 {
                widths.append(Float(shape.fwhm))
            }
        }
        guard widths.count >= 3 else { return parameters.seeingGuess }
        return Double(RobustStatistics.medianInPlace(&widths))
    }

    private static func measure(_ image: Image<Float>, rms: Image<Float>, mask: Image<MaskBits>?, peakIndex: Int,
                                seeing: Double, parameters: StarDetectionParameters) -> Star? {
        let peak = PixelPoint(x: Double(peakIndex % image.width), y: Double(peakIndex / image.width))
        let sigma = seeing / 2.3548
        var centre = WindowedCentroid.refine(image, start: peak, sigma: sigma, mask: mask) ?? peak
        var flags: StarFlags = []
        if abs(centre.x - peak.x) >= seeing || abs(centre.y - peak.y) >= seeing {
            // The window slid up a brighter neighbour's wing: keep the source
            // at its peak and say it is blended, rather than lose it.
            centre = peak
            flags.insert(.blended)
        }
        let radius = max(1.5, parameters.apertureRadiusInFWHM * seeing)
        let aperture = ApertureFlux.measure(image, rms: rms, mask: mask, center: centre, radius: radius,
                                            gain: parameters.gain)
        guard aperture.flux > 0 else { return nil }
        return Star(position: centre, flux: aperture.flux, fluxError: aperture.error,
                    peak: Double(image.pixels[peakIndex]),
                    shape: AdaptiveMoments.measure(image, center: centre, initialSigma: sigma, mask: mask),
                    flags: aperture.flags.union(flags))
    }

    private static func flagCrowding(_ stars: inout [Star], radius: Double) {
        let grid = SpatialGrid(points: stars.map(\.position), cellSize: max(radius, 1))
        for i in stars.indices where grid.neighbours(of: stars[i].position, within: radius).count > 1 {
            stars[i].flags.insert(.crowded)
        }
    }
}
