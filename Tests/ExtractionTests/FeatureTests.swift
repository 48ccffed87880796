import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// The real/bogus features separate what they are meant to separate: a clean
/// transient, a star that faded, and a star that moved (misregistration).
@Suite struct FeatureTests {
    static let faded: Source = (x: 70, y: 70, flux: 40_000)
    static let fadedBy = 20_000.0
    static let shifted: Source = (x: 186, y: 70, flux: 60_000)
    static let transient: Source = (x: 128, y: 186, flux: 25_000)

    /// 40 field stars plus three placed sources, each far from the others.
    static let scene = try! Scene(
        starCount: 40, seed: 11,
        referenceOnly: [faded, shifted],
        newOnly: [(x: faded.x, y: faded.y, flux: faded.flux - fadedBy),
                  (x: shifted.x + 0.5, y: shifted.y, flux: shifted.flux), transient])
    static let output = scene.extract()

    @Test func aFadedStarGivesANegativeCandidate() throws {
        let found = try #require(nearest(Self.output.candidates, to: Self.faded.x, Self.faded.y))
        let candidate = found.candidate
        #expect(found.distance < 0.3)
        #expect(!candidate.isPositive)
        #expect(candidate.flags.contains(.negative))
        #expect(candidate.scorr < -5 && candidate.flux < 0 && candidate.snr < 0)
        // The flux is the change, in reference units.
        #expect(abs(candidate.flux + Self.fadedBy) < 4 * candidate.fluxError,
                "flux \(candidate.flux) ± \(candidate.fluxError), expected \(-Self.fadedBy)")
        // Measured on −D, it looks like any clean point source.
        #expect(abs(candidate.features.fwhmRatio - 1) < 0.15)
        #expect(candidate.features.sumrat > 0.9)
        #expect(candidate.features.dipole < 0.2)
    }

    @Test func aMisregisteredStarIsADipole() throws {
        let near = Self.output.candidates.filter {
            hypot($0.position.x - Self.shifted.x, $0.position.y - Self.shifted.y) < 4
        }
        print("misregistered star: " + near.map {
            "\($0.isPositive ? "+" : "-") scorr \($0.scorr) dipole \($0.features.dipole) sumrat \($0.features.sumrat)"
        }.joined(separator: "; "))
        #expect(near.contains { $0.isPositive } && near.contains { !$0.isPositive })
        for candidate in near { #expect(candidate.features.dipole > 0.5) }
    }

    @Test func aCleanTransientLooksClean() throws {
        let found = try #require(nearest(Self.output.candidates, to: Self.transient.x, Self.transient.y))
        let c = found.candidate, f = c.features
        print("clean transient: snr \(c.snr) dipole \(f.dipole) magdiff \(f.magdiff) nneg \(f.nneg) sumrat \(f.sumrat) "
              + "elong \(f.elong) fwhmRatio \(f.fwhmRatio)")
        #expect(c.isPositive && c.snr > 50)
        #expect(f.dipole < 0.2)
        #expect(abs(f.magdiff) < 0.1)
        #expect(f.nneg <= 1)
        #expect(f.sumrat > 0.95)
        #expect(f.nbad == 0 && c.flags.isEmpty)
        #expect(c.elongation < 1.15)
        #expect(abs(f.aimagerat - f.bimagerat) < 0.1)
    }

    @Test func magnitudesNeedAZeroPoint() throws {
        let withZero = Self.scene.extract(zeroPoint: 25)
        let found = try #require(nearest(withZero.candidates, to: Self.transient.x, Self.transient.y))
        let c = found.candidate
        #expect(abs(c.mag - (25 - 2.5 * log10(c.flux))) < 1e-9)
        #expect(abs(c.magError - 1.0857362 * c.fluxError / c.flux) < 1e-6)
        let faded = try #require(nearest(withZero.candidates, to: Self.faded.x, Self.faded.y)).candidate
        #expect(abs(faded.mag - (25 - 2.5 * log10(-faded.flux))) < 1e-9)
        for candidate in Self.output.candidates {
            #expect(candidate.mag.isNaN && candidate.magError.isNaN)
        }
    }
}
