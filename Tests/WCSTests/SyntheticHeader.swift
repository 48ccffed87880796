import Foundation

/// Builds FITS headers card by card for the synthetic-WCS tests, and computes
/// the expected sky positions from the published formulas, independently of
/// WCSLIB.
enum SyntheticHeader {
    /// One 80-character card `KEYWORD = value`; `value` is written as given,
    /// so strings must carry their quotes.
    static func card(_ keyword: String, _ value: String) -> String {
        let text = keyword.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + value
        return text.padding(toLength: 80, withPad: " ", startingAt: 0)
    }

    /// A minimal image header (SIMPLE, BITPIX, NAXIS 2) around `cards`, ending in END.
    static func image(width: Int = 2048, height: Int = 2048, _ cards: [(String, String)]) -> String {
        var lines = [
            card("SIMPLE", "T"), card("BITPIX", "-32"), card("NAXIS", "2"),
            card("NAXIS1", "\(width)"), card("NAXIS2", "\(height)"),
        ]
        lines += cards.map { card($0.0, $0.1) }
        lines.append("END".padding(toLength: 80, withPad: " ", startingAt: 0))
        return lines.joined()
    }

    /// The standard celestial keys of a TAN-type WCS with a CD matrix.
    static func tanCards(ctype1: String = "RA---TAN", ctype2: String = "DEC--TAN",
                         crpix: (Double, Double), crval: (Double, Double),
                         cd: [[Double]]) -> [(String, String)] {
        [
            ("CTYPE1", "'\(ctype1)'"), ("CTYPE2", "'\(ctype2)'"),
            ("CRPIX1", "\(crpix.0)"), ("CRPIX2", "\(crpix.1)"),
            ("CRVAL1", "\(crval.0)"), ("CRVAL2", "\(crval.1)"),
            ("CD1_1", fits(cd[0][0])), ("CD1_2", fits(cd[0][1])),
            ("CD2_1", fits(cd[1][0])), ("CD2_2", fits(cd[1][1])),
        ]
    }

    /// A real in FITS form (upper-case exponent).
    static func fits(_ value: Double) -> String {
        "\(value)".uppercased()
    }

    // MARK: Independent reference formulas

    /// Gnomonic (TAN) deprojection of standard coordinates (xi, eta) in degrees
    /// about the tangent point (ra0, dec0): the textbook formulas
    ///   ra  = ra0 + atan2(xi, cos d0 - eta sin d0)
    ///   dec = atan2(sin d0 + eta cos d0, sqrt(xi^2 + (cos d0 - eta sin d0)^2))
    /// with xi and eta in radians.
    static func gnomonic(xi: Double, eta: Double, ra0: Double, dec0: Double) -> (ra: Double, dec: Double) {
        let rad = Double.pi / 180
        let x = xi * rad, y = eta * rad, d0 = dec0 * rad
        let denominator = cos(d0) - y * sin(d0)
        let ra = ra0 + atan2(x, denominator) / rad
        let dec = atan2(sin(d0) + y * cos(d0), (x * x + denominator * denominator).squareRoot()) / rad
        return (wrap360(ra), dec)
    }

    /// Applies a 2x2 CD matrix to pixel offsets (u, v): intermediate world
    /// coordinates in degrees.
    static func applyCD(_ cd: [[Double]], _ u: Double, _ v: Double) -> (Double, Double) {
        (cd[0][0] * u + cd[0][1] * v, cd[1][0] * u + cd[1][1] * v)
    }

    /// SIP (Shupe et al. 2005): u, v = pixel - CRPIX; f = sum A_p_q u^p v^q,
    /// g = sum B_p_q u^p v^q; intermediate = CD (u + f, v + g); then TAN.
    static func sip(x: Double, y: Double, crpix: (Double, Double), crval: (Double, Double),
                    cd: [[Double]], a: [String: Double], b: [String: Double]) -> (ra: Double, dec: Double) {
        let u = x - crpix.0, v = y - crpix.1
        func polynomial(_ coefficients: [String: Double]) -> Double {
            coefficients.reduce(0) { sum, term in
                let powers = term.key.split(separator: "_").map { Int($0)! }
                return sum + term.value * pow(u, Double(powers[0])) * pow(v, Double(powers[1]))
            }
        }
        let (xi, eta) = applyCD(cd, u + polynomial(a), v + polynomial(b))
        return gnomonic(xi: xi, eta: eta, ra0: crval.0, dec0: crval.1)
    }

    /// The TPV polynomial terms 0...11 in (x, y): 1, x, y, r, x^2, xy, y^2,
    /// x^3, x^2y, xy^2, y^3, r^3 (r = sqrt(x^2 + y^2)), per the TPV convention
    /// registered at fits.gsfc.nasa.gov/registry/tpvwcs/tpv.html.
    static func tpvTerms(_ x: Double, _ y: Double) -> [Double] {
        let r = (x * x + y * y).squareRoot()
        return [1, x, y, r, x * x, x * y, y * y, x * x * x, x * x * y, x * y * y, y * y * y, r * r * r]
    }

    /// TPV: (x, y) = CD (pixel - CRPIX) in degrees; xi = sum PV1_k term_k(x, y),
    /// eta = sum PV2_k term_k(y, x) (roles of x and y swapped); then TAN.
    static func tpv(x: Double, y: Double, crpix: (Double, Double), crval: (Double, Double),
                    cd: [[Double]], pv1: [Int: Double], pv2: [Int: Double]) -> (ra: Double, dec: Double) {
        let (ix, iy) = applyCD(cd, x - crpix.0, y - crpix.1)
        let xiTerms = tpvTerms(ix, iy), etaTerms = tpvTerms(iy, ix)
        let xi = pv1.reduce(0) { $0 + $1.value * xiTerms[$1.key] }
        let eta = pv2.reduce(0) { $0 + $1.value * etaTerms[$1.key] }
        return gnomonic(xi: xi, eta: eta, ra0: crval.0, dec0: crval.1)
    }

    static func wrap360(_ degrees: Double) -> Double {
        let wrapped = degrees.truncatingRemainder(dividingBy: 360)
        return wrapped < 0 ? wrapped + 360 : wrapped
    }

    /// Difference of two RAs in degrees, taking the short way round 360.
    static func raDifference(_ a: Double, _ b: Double) -> Double {
        let difference = (a - b).truncatingRemainder(dividingBy: 360)
        if difference > 180 { return difference - 360 }
        if difference < -180 { return difference + 360 }
        return difference
    }
}
