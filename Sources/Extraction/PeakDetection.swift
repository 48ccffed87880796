import Imaging

/// An S_corr maximum that survived deblending and the mask: one candidate to
/// measure.
struct Peak: Sendable, Equatable {
    /// The peak pixel, 0-based.
    var x: Int, y: Int
    /// |S_corr| at the peak pixel, σ.
    var significance: Float
    /// Whether it is a maximum of S_corr (true) or of −S_corr.
    var isPositive: Bool
    /// Whether its segment kept more than one maximum.
    var isBlended: Bool

    /// +1 for a positive peak, −1 for a negative one.
    var sign: Float { isPositive ? 1 : -1 }
}

/// Detection: threshold S_corr (and −S_corr), segment, find and deblend the
/// local maxima of each segment, and drop peaks on rejected mask bits.
enum PeakDetection {
    /// The peaks to measure, in no particular order, and the peaks dropped.
    ///
    /// - Parameters:
    ///   - scoreCorrected: S_corr, σ.
    ///   - mask: the merged ZOGY mask.
    ///   - psfFWHM: FWHM of P_D in pixels, the scale of deblending.
    static func find(in scoreCorrected: Image<Float>, mask: Image<MaskBits>, psfFWHM: Double,
                     parameters: ExtractionParameters) -> (peaks: [Peak], rejections: RejectionSummary) {
        var peaks: [Peak] = []
        var rejections = RejectionSummary()
        scan(scoreCorrected, isPositive: true, mask: mask, psfFWHM: psfFWHM, parameters: parameters,
             peaks: &peaks, rejections: &rejections)
        if parameters.detectNegatives {
            // Segmentation only thresholds from above. A plain loop: the
            // generic `Image.map` is not specialised across modules and costs
            // ~20 ns a pixel.
            var negated = scoreCorrected
            negated.pixels.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = -values[i] }
            }
            scan(negated, isPositive: false, mask: mask, psfFWHM: psfFWHM, parameters: parameters,
                 peaks: &peaks, rejections: &rejections)
        }
        return (peaks, rejections)
    }

    private static func scan(_ significance: Image<Float>, isPositive: Bool, mask: Image<MaskBits>,
                             psfFWHM: Double, parameters: ExtractionParameters,
                             peaks: inout [Peak], rejections: inout RejectionSummary) {
        // Segment without the mask and without the area cut, so that what the
        // mask and the area cut remove can be counted.
        let segments = Segmentation.segments(in: significance, threshold: Float(parameters.threshold), minimumArea: 1)
        let rejecting = parameters.rejectingBits
        let mergeRadius = parameters.mergeRadiusInFWHM * psfFWHM
        for segment in segments {
            guard segment.area >= parameters.minimumArea else {
                rejections.belowMinimumArea += 1
                continue
            }
            let maxima = localMaxima(significance, segment: segment)
            let kept = deblend(significance, maxima: maxima, mergeRadius: mergeRadius,
                               minimumDip: Float(parameters.deblendMinimumDip))
            for index in kept {
                let bits = mask.pixels[index]
                if parameters.rejects(bits) {
                    rejections.count(bits, rejecting: rejecting)
                    continue
                }
                peaks.append(Peak(x: index % significance.width, y: index / significance.width,
                                  significance: significance.pixels[index], isPositive: isPositive,
                                  isBlended: kept.count > 1))
            }
        }
    }

    /// Pixels of the segment higher than their 8 neighbours (a tie goes to
    /// the first in scan order), highest first.
    static func localMaxima(_ image: Image<Float>, segment: Segment) -> [Int] {
        let w = image.width, h = image.height
        var maxima: [Int] = []
        for index in segment.pixels {
            let i = Int(index), x = i % w, y = i / w, v = image.pixels[i]
            var isMaximum = true
            scan: for yy in max(0, y - 1)...min(h - 1, y + 1) {
                for xx in max(0, x - 1)...min(w - 1, x + 1) {
                    let j = yy * w + xx
                    let other = image.pixels[j]
                    if other > v || (other == v && j < i) {
                        isMaximum = false
                        break scan
                    }
                }
            }
            if isMaximum { maxima.append(i) }
        }
        if maxima.isEmpty { maxima = [segment.peakIndex] }
        return maxima.sorted { image.pixels[$0] != image.pixels[$1] ? image.pixels[$0] > image.pixels[$1] : $0 < $1 }
    }

    /// Keeps a maximum (taken highest first) only if it is farther than
    /// `mergeRadius` from every maximum already kept and separated from each
    /// by a dip of at least `minimumDip`; the rest belong to a kept one.
    static func deblend(_ image: Image<Float>, maxima: [Int], mergeRadius: Double, minimumDip: Float) -> [Int] {
        guard maxima.count > 1 else { return maxima }
        let w = image.width
        var kept: [Int] = []
        for candidate in maxima {
            let cx = Double(candidate % w), cy = Double(candidate / w)
            let merges = kept.contains { other in
                let ox = Double(other % w), oy = Double(other / w)
                let distance = ((cx - ox) * (cx - ox) + (cy - oy) * (cy - oy)).squareRoot()
                if distance <= mergeRadius { return true }
                let dip = image.pixels[candidate] - lowestOnLine(image, from: candidate, to: other)
                return dip < minimumDip
            }
            if !merges { kept.append(candidate) }
        }
        return kept
    }

    /// The lowest value on the straight line between two pixels, sampled
    /// every half pixel at the nearest pixel.
    static func lowestOnLine(_ image: Image<Float>, from a: Int, to b: Int) -> Float {
        let w = image.width
        let ax = Double(a % w), ay = Double(a / w), bx = Double(b % w), by = Double(b / w)
        let steps = max(1, Int((2 * max(abs(bx - ax), abs(by - ay))).rounded(.up)))
        var lowest = image.pixels[a]
        for step in 1...steps {
            let t = Double(step) / Double(steps)
            let x = Int((ax + t * (bx - ax)).rounded()), y = Int((ay + t * (by - ay)).rounded())
            let v = image.pixels[y * w + x]
            if v < lowest { lowest = v }
        }
        return lowest
    }
}
