import Extraction

/// What scoring reads of one candidate: its measured features and its
/// difference stamp. Built from an extraction ``Candidate`` (benchmarks and
/// training, in process) or from a stored `candidates` row (the stages), so
/// both paths compute the same vector. Non-measured values are NaN.
public struct CandidateInput: Sendable {
    /// PSF-fit flux over its error (signed: negative for a fading source).
    public var snr: Double
    /// Candidate FWHM over FWHM(P_D).
    public var fwhmRatio: Double
    /// Elongation A/B.
    public var elong: Double
    /// Negative and bad pixels in the 5×5 box (see ``CandidateFeatures``).
    public var nneg: Int, nbad: Int
    public var sumrat: Double, magdiff: Double
    /// Peak of S_corr, σ (signed).
    public var scorr: Double
    public var dipole: Double
    /// Nearest reference source: distance (px), magnitude and size (FWHM
    /// over the catalogue median).
    public var distnr: Double, magnr: Double, sizenr: Double
    /// Distance to the nearest pixel without data, px.
    public var edgeDistance: Double
    /// Moments' A and B over FWHM(P_D).
    public var aimagerat: Double, bimagerat: Double
    public var isPositive: Bool
    /// ``CandidateFlags`` raw value.
    public var flags: Int
    /// The difference stamp, `stampSide`² float pixels, row-major, centred
    /// on the candidate's rounded position (NaN off the image).
    public var stamp: [Float]
    public var stampSide: Int

    /// Every field, as named.
    public init(snr: Double, fwhmRatio: Double, elong: Double, nneg: Int, nbad: Int, sumrat: Double, magdiff: Double,
                scorr: Double, dipole: Double, distnr: Double, magnr: Double, sizenr: Double, edgeDistance: Double,
                aimagerat: Double, bimagerat: Double, isPositive: Bool, flags: Int, stamp: [Float], stampSide: Int) {
        self.snr = snr; self.fwhmRatio = fwhmRatio; self.elong = elong; self.nneg = nneg; self.nbad = nbad
        self.sumrat = sumrat; self.magdiff = magdiff; self.scorr = scorr; self.dipole = dipole; self.distnr = distnr
        self.magnr = magnr; self.sizenr = sizenr; self.edgeDistance = edgeDistance; self.aimagerat = aimagerat
        self.bimagerat = bimagerat; self.isPositive = isPositive; self.flags = flags; self.stamp = stamp
        self.stampSide = stampSide
    }

    /// The input of an extracted candidate.
    public init(_ c: Candidate) {
        let f = c.features
        self.init(snr: c.snr, fwhmRatio: f.fwhmRatio, elong: c.elongation, nneg: f.nneg, nbad: f.nbad, sumrat: f.sumrat,
                  magdiff: f.magdiff, scorr: c.scorr, dipole: f.dipole, distnr: f.distnr, magnr: f.magnr,
                  sizenr: f.sizenr, edgeDistance: f.edgeDistance, aimagerat: f.aimagerat, bimagerat: f.bimagerat,
                  isPositive: c.isPositive, flags: Int(c.flags.rawValue), stamp: c.stamps.difference.pixels,
                  stampSide: c.stamps.difference.width)
    }
}
