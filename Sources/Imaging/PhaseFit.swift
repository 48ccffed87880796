/// One PSF star's stamp, cut at the pixel nearest its centroid and divided by
/// its flux, with the sub-pixel phase of the centroid in that pixel.
struct PhaseSample {
    /// The star's S/N: its normalised stamp's noise goes as 1/(S/N).
    var snr: Double = 1
    /// Normalised pixels, `side`×`side`, row-major; NaN where a neighbour
    /// was blanked.
    var pixels: [Float]
    /// Centroid minus the stamp's centre pixel, each in [−0.5, 0.5].
    let phaseX: Double
    let phaseY: Double

    /// Cuts the stamp; nil when it leaves the image, holds a masked pixel or
    /// has no positive flux.
    init?(_ image: Image<Float>, mask: Image<MaskBits>?, star: Star, half: Int) {
        let cx = Int(star.position.x.rounded()), cy = Int(star.position.y.rounded())
        guard cx - half >= 0, cy - half >= 0, cx + half < image.width, cy + half < image.height else { return nil }
        let side = 2 * half + 1
        var stamp = [Float](repeating: 0, count: side * side)
        var sum = 0.0
        for j in 0..<side {
            for i in 0..<side {
                let index = (cy - half + j) * image.width + (cx - half + i)
                if let mask, !mask.pixels[index].isDisjoint(with: .unusable) { return nil }
                let v = image.pixels[index]
                guard v.isFinite else { return nil }
                stamp[j * side + i] = v
                sum += Double(v)
            }
        }
        guard sum > 0 else { return nil }
        let inverse = Float(1 / sum)
        pixels = stamp.map { $0 * inverse }
        snr = max(star.snr, 1)
        phaseX = star.position.x - Double(cx)
        phaseY = star.position.y - Double(cy)
    }
}

/// Per-pixel robust least squares of PSF samples against sub-pixel phase.
enum PhaseFit {
    /// The PSF as a function of sub-pixel phase (its first coefficient is the
    /// PSF at zero phase, the star on the pixel centre): per stamp pixel, the
    /// coefficients of a + b·px + c·py + d·px² + e·py² + f·px·py (with many
    /// stars; a plane with fewer; a constant with very few), fitted by
    /// weighted least squares (weight (S/N)², the inverse variance of a
    /// normalised stamp) with samples beyond 3σ of the fit (neighbours, cosmic
    /// rays the mask missed) dropped and the fit repeated. The constant term
    /// is the PSF at zero phase: the star on the pixel centre.
    static func phaseCoefficients(_ samples: [PhaseSample], side: Int) -> [[Float]] {
        var out = [[Float]](repeating: [0], count: side * side)
        for p in 0..<(side * side) {
            let present = samples.filter { !$0.pixels[p].isNaN }
            let terms = present.count >= 20 ? 6 : (present.count >= 8 ? 3 : 1)
            let values = present.map { Double($0.pixels[p]) }
            guard !values.isEmpty else { continue }
            if terms == 1 {
                out[p] = [Float(median(values))]
                continue
            }
            let basis = present.map { basisRow($0.phaseX, $0.phaseY, terms: terms) }
            let weights = present.map { $0.snr * $0.snr }
            out[p] = robustFit(basis, values, weights: weights, terms: terms).map(Float.init)
        }
        return out
    }

    static func basisRow(_ x: Double, _ y: Double, terms: Int) -> [Double] {
        let full = [1, x, y, x * x, y * y, x * y]
        return Array(full.prefix(terms))
    }

    /// A weighted least-squares fit, refitted without outliers; the
    /// residuals are judged in units of each sample's own noise.
    static func robustFit(_ basis: [[Double]], _ values: [Double], weights: [Double], terms: Int) -> [Double] {
        var use = [Bool](repeating: true, count: values.count)
        var coefficients = [Double](repeating: 0, count: terms)
        coefficients[0] = median(values)
        for _ in 0..<3 {
            guard let fit = leastSquares(basis, values, weights: weights, use: use, terms: terms) else { break }
            coefficients = fit
            var residuals: [Double] = []
            for s in values.indices where use[s] {
                residuals.append(abs(values[s] - dot(basis[s], coefficients)) * weights[s].squareRoot())
            }
            let scale = 1.4826 * median(residuals)
            guard scale > 0 else { break }
            var changed = false
            for s in values.indices {
                let keep = abs(values[s] - dot(basis[s], coefficients)) * weights[s].squareRoot() <= 3 * scale
                if keep != use[s] { changed = true }
                use[s] = keep
            }
            if !changed { break }
        }
        return coefficients
    }

    /// Weighted normal equations; nil when singular or too few samples remain.
    static func leastSquares(_ basis: [[Double]], _ values: [Double], weights: [Double], use: [Bool],
                             terms: Int) -> [Double]? {
        var a = [[Double]](repeating: [Double](repeating: 0, count: terms + 1), count: terms)
        var n = 0
        for s in values.indices where use[s] {
            n += 1
            let w = weights[s]
            for i in 0..<terms {
                for j in 0..<terms { a[i][j] += w * basis[s][i] * basis[s][j] }
                a[i][terms] += w * basis[s][i] * values[s]
            }
        }
        guard n > terms else { return nil }
        return LinearSolve.solve(augmented: a)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
