/// PSF stamps of well-sampled stars, shifted onto a common centre.
enum ShiftedStamp {
    /// The star's stamp, Lanczos-shifted so its centroid falls on the centre
    /// pixel and divided by its flux; nil when it leaves the image, meets a
    /// masked pixel or holds no positive flux.
    static func cut(_ image: Image<Float>, mask: Image<MaskBits>?, star: Star, half: Int) -> [Float]? {
        let cx = Int(star.position.x.rounded()), cy = Int(star.position.y.rounded())
        // Lanczos-3 reads three pixels beyond the stamp.
        guard cx - half - 3 >= 0, cy - half - 3 >= 0, cx + half + 3 < image.width, cy + half + 3 < image.height else {
            return nil
        }
        if let mask {
            for y in (cy - half - 1)...(cy + half + 1) {
                for x in (cx - half - 1)...(cx + half + 1) where !mask[x, y].isDisjoint(with: .unusable) { return nil }
            }
        }
        let side = 2 * half + 1
        var stamp = [Float](repeating: 0, count: side * side)
        var sum = 0.0
        // Normalise by the flux in a radius of 2.5 FWHM, not the whole stamp:
        // in a crowded field the stamp's edges hold neighbours' light, which
        // would scale each star differently. The stack is renormalised later.
        let radius = 2.5 * (star.shape?.fwhm ?? Double(half) / 4)
        for j in 0..<side {
            for i in 0..<side {
                let v = image.lanczosSample(x: star.position.x + Double(i - half), y: star.position.y + Double(j - half))
                stamp[j * side + i] = v
                if Double((i - half) * (i - half) + (j - half) * (j - half)) <= radius * radius { sum += Double(v) }
            }
        }
        guard sum > 0 else { return nil }
        let inverse = Float(1 / sum)
        return stamp.map { $0 * inverse }
    }

    /// Per pixel, the inverse-variance weighted mean of the stamps after
    /// dropping values beyond 3σ of the weighted median, each judged by its
    /// own noise. A normalised stamp's noise goes as 1/(S/N), so its weight is
    /// (S/N)²: the bright stars set the PSF, and a faint star's noise no
    /// longer leaves a per-cent error in the core that becomes a residual on
    /// every bright star. Blanked (NaN) values are skipped.
    static func weightedMean(_ stamps: [(pixels: [Float], snr: Double)], side: Int) -> [Float] {
        var out = [Float](repeating: 0, count: side * side)
        var column: [(value: Float, snr: Float)] = []
        var scaled: [Float] = []
        for p in 0..<(side * side) {
            column.removeAll(keepingCapacity: true)
            for stamp in stamps where !stamp.pixels[p].isNaN { column.append((stamp.pixels[p], Float(stamp.snr))) }
            guard !column.isEmpty else { continue }
            let centre = weightedMedian(column)
            scaled.removeAll(keepingCapacity: true)
            for c in column { scaled.append(abs(c.value - centre) * c.snr) }
            let spread = max(1.4826 * RobustStatistics.medianInPlace(&scaled), 1e-12)
            var sum: Float = 0, weights: Float = 0
            for c in column where abs(c.value - centre) * c.snr <= 3 * spread || column.count < 3 {
                let w = c.snr * c.snr
                sum += w * c.value
                weights += w
            }
            out[p] = weights > 0 ? sum / weights : centre
        }
        return out
    }

    private static func weightedMedian(_ values: [(value: Float, snr: Float)]) -> Float {
        let sorted = values.sorted { $0.value < $1.value }
        let half = sorted.reduce(0) { $0 + $1.snr * $1.snr } / 2
        var running: Float = 0
        for v in sorted {
            running += v.snr * v.snr
            if running >= half { return v.value }
        }
        return sorted.last!.value
    }
}
