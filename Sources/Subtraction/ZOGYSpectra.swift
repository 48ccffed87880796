import FFT

/// The frequency-domain half of ZOGY (Zackay, Ofek & Gal-Yam 2016): one pass
/// over the half-spectrum computes D̂ (eq. 13), P̂_D (eq. 14), Ŝ (eq. 17) and
/// the source-noise kernels k̂_n, k̂_r (eqs. 28–29), and sums F_S (eq. 42).
struct ZOGYSpectra {
    var difference: Spectrum
    var differencePSF: Spectrum
    var score: Spectrum
    var newKernel: Spectrum
    var referenceKernel: Spectrum
    /// F_S: S at a unit-flux point source.
    var fluxScale: Double
    /// F_D (eq. 15).
    var differenceZeroPoint: Double

    /// - Parameters:
    ///   - n, r: spectra of the new and reference images.
    ///   - pn, pr: spectra of their PSFs, centred at the origin.
    ///   - sigmaN, sigmaR: background σ of each image.
    ///   - fn: F_n (F_r is 1).
    init(n: Spectrum, r: Spectrum, pn: Spectrum, pr: Spectrum, sigmaN: Double, sigmaR: Double, fn: Double) {
        let width = n.width, height = n.height
        let fr = 1.0
        let fd = fr * fn / (sigmaN * sigmaN * fr * fr + sigmaR * sigmaR * fn * fn).squareRoot()
        // Δ at zero frequency is σ_n² F_r² + σ_r² F_n²; below a 1e-12 fraction
        // of it neither PSF carries signal and the frequency is dropped.
        let floor = 1e-12 * (sigmaN * sigmaN * fr * fr + sigmaR * sigmaR * fn * fn)
        var d = Spectrum(width: width, height: height), pd = Spectrum(width: width, height: height)
        var s = Spectrum(width: width, height: height)
        var kn = Spectrum(width: width, height: height), kr = Spectrum(width: width, height: height)
        var fsSum = 0.0
        let columns = n.columns
        // Columns other than 0 and (for even widths) width/2 stand for two
        // frequencies of the full spectrum: count them twice in F_S.
        let lastColumn = width % 2 == 0 ? width / 2 : -1
        n.withUnsafeValues { nv in r.withUnsafeValues { rv in pn.withUnsafeValues { pnv in pr.withUnsafeValues { prv in
        d.withUnsafeMutableValues { dv in pd.withUnsafeMutableValues { pdv in s.withUnsafeMutableValues { sv in
        kn.withUnsafeMutableValues { knv in kr.withUnsafeMutableValues { krv in
            for k in 0..<(n.count) {
                let i = 2 * k
                let pnRe = Double(pnv[i]), pnIm = Double(pnv[i + 1])
                let prRe = Double(prv[i]), prIm = Double(prv[i + 1])
                let pn2 = pnRe * pnRe + pnIm * pnIm, pr2 = prRe * prRe + prIm * prIm
                let delta = sigmaN * sigmaN * fr * fr * pr2 + sigmaR * sigmaR * fn * fn * pn2
                guard delta > floor else { continue }
                let rootDelta = delta.squareRoot()
                let nRe = Double(nv[i]), nIm = Double(nv[i + 1]), rRe = Double(rv[i]), rIm = Double(rv[i + 1])
                // D̂ = (F_r P̂_r N̂ − F_n P̂_n R̂) / √Δ
                let dRe = (fr * (prRe * nRe - prIm * nIm) - fn * (pnRe * rRe - pnIm * rIm)) / rootDelta
                let dIm = (fr * (prRe * nIm + prIm * nRe) - fn * (pnRe * rIm + pnIm * rRe)) / rootDelta
                dv[i] = Float(dRe); dv[i + 1] = Float(dIm)
                // P̂_D = F_r F_n P̂_r P̂_n / (F_D √Δ)
                let scale = fr * fn / (fd * rootDelta)
                pdv[i] = Float(scale * (prRe * pnRe - prIm * pnIm))
                pdv[i + 1] = Float(scale * (prRe * pnIm + prIm * pnRe))
                // k̂_n = F_n F_r² conj(P̂_n) |P̂_r|² / Δ ; k̂_r = F_r F_n² conj(P̂_r) |P̂_n|² / Δ
                let a = fn * fr * fr * pr2 / delta, b = fr * fn * fn * pn2 / delta
                let knRe = a * pnRe, knIm = -a * pnIm, krRe = b * prRe, krIm = -b * prIm
                knv[i] = Float(knRe); knv[i + 1] = Float(knIm)
                krv[i] = Float(krRe); krv[i + 1] = Float(krIm)
                // Ŝ = k̂_n N̂ − k̂_r R̂
                sv[i] = Float((knRe * nRe - knIm * nIm) - (krRe * rRe - krIm * rIm))
                sv[i + 1] = Float((knRe * nIm + knIm * nRe) - (krRe * rIm + krIm * rRe))
                let u = k % columns
                let multiplicity = (u == 0 || u == lastColumn) ? 1.0 : 2.0
                fsSum += multiplicity * fn * fn * fr * fr * pn2 * pr2 / delta
            }
        } } } } } } } } }
        difference = d
        differencePSF = pd
        score = s
        newKernel = kn
        referenceKernel = kr
        fluxScale = fsSum / Double(width * height)
        differenceZeroPoint = fd
    }
}
