import Imaging

/// Corrects S_corr for what ZOGY's noise model cannot know: structure that
/// moves with the detector (fringes, scattered light) and so does not cancel
/// between two pointings, and noise that is not white. A mesh model of
/// S_corr's own level and rms (SExtractor-style, sigma-clipped, so compact
/// sources do not bias it) is subtracted and divided out, making S_corr
/// locally zero-mean with unit rms.
///
/// Where ZOGY's model holds (white noise, flat residual background), the
/// correction is the identity to within its noise. The factor it applied is
/// reported, so a run can say how far from the model the data were.
public enum ScoreNormalization {
    /// The corrected S_corr and the median rms it divided by.
    public static func apply(_ scoreCorrected: Image<Float>, mask: Image<MaskBits>,
                             meshSize: Int = 64) -> (image: Image<Float>, medianRMS: Double) {
        var excluded = Image<MaskBits>.good(width: mask.width, height: mask.height)
        for i in 0..<mask.count where !mask.pixels[i].isDisjoint(with: [.noData, .edge, .nearDefect, .saturated, .trail]) {
            excluded.pixels[i] = .noData
        }
        let model = BackgroundModel.estimate(scoreCorrected, mask: excluded,
                                             parameters: BackgroundParameters(meshSize: meshSize))
        let level = model.levelImage(), rms = model.rmsImage()
        var out = scoreCorrected
        for i in 0..<out.count {
            let sigma = max(rms.pixels[i], 0.25)
            out.pixels[i] = (scoreCorrected.pixels[i] - level.pixels[i]) / sigma
        }
        return (out, Double(model.globalRMS))
    }
}
