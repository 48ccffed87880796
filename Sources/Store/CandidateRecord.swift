import Foundation

/// One row of `candidates`, as the extract stage writes it and the later
/// stages read it. Positions are FITS 1-based pixels of the reference grid;
/// fluxes in reference ADU; stamps little-endian float32, `stampSize`².
public struct CandidateRecord: Sendable {
    public var id: UUID
    public var candidateIndex: Int
    public var x: Double, y: Double, ra: Double, dec: Double
    public var flux: Double, fluxError: Double, snr: Double
    public var mag: Double?, magError: Double?
    public var fwhm: Double?, elongation: Double?, ellipticity: Double?, thetaDegrees: Double?
    public var scorr: Double
    public var isPositive: Bool
    public var flags: Int
    public var nneg: Int, nbad: Int
    public var sumrat: Double?, magdiff: Double?, dipole: Double?, distnr: Double?, magnr: Double?
    /// Further features by name (JSON object).
    public var features: String
    public var stampSize: Int
    public var stampScience: Data, stampReference: Data, stampDifference: Data

    public init(id: UUID, candidateIndex: Int, x: Double, y: Double, ra: Double, dec: Double, flux: Double,
                fluxError: Double, snr: Double, mag: Double?, magError: Double?, fwhm: Double?, elongation: Double?,
                ellipticity: Double?, thetaDegrees: Double?, scorr: Double, isPositive: Bool, flags: Int, nneg: Int,
                nbad: Int, sumrat: Double?, magdiff: Double?, dipole: Double?, distnr: Double?, magnr: Double?,
                features: String, stampSize: Int, stampScience: Data, stampReference: Data, stampDifference: Data) {
        self.id = id; self.candidateIndex = candidateIndex; self.x = x; self.y = y; self.ra = ra; self.dec = dec
        self.flux = flux; self.fluxError = fluxError; self.snr = snr; self.mag = mag; self.magError = magError
        self.fwhm = fwhm; self.elongation = elongation; self.ellipticity = ellipticity; self.thetaDegrees = thetaDegrees
        self.scorr = scorr; self.isPositive = isPositive; self.flags = flags; self.nneg = nneg; self.nbad = nbad
        self.sumrat = sumrat; self.magdiff = magdiff; self.dipole = dipole; self.distnr = distnr; self.magnr = magnr
        self.features = features; self.stampSize = stampSize; self.stampScience = stampScience
        self.stampReference = stampReference; self.stampDifference = stampDifference
    }
}
