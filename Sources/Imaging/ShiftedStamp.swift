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

    /// Per pixel, the mean of the stamps after dropping values beyond 3σ of
    /// the median (faint neighbours and cosmic rays the mask missed). Blanked
    /// (NaN) values are skipped.
    static func clippedMean(_ stamps: [[Float]], side: Int) -> [Float] {
        var out = [Float](repeating: 0, count: side * side)
        var column: [Float] = []
        for p in 0..<(side * side) {
            column.removeAll(keepingCapacity: true)
            for stamp in stamps where !stamp[p].isNaN { column.append(stamp[p]) }
            guard !column.isEmpty else { continue }
            let stats = RobustStatistics.sigmaClip(&column, sigma: 3, maxIterations: 3)
            out[p] = Float(stats.mean)
        }
        return out
    }
}
