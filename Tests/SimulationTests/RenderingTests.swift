import Foundation
import Testing
@testable import Simulation

/// The building blocks of the renderer, without noise.
@Suite struct RenderingTests {
    /// Renders into an empty `size`² image and returns the pixels.
    static func draw(size: Int = 128, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        var pixels = [Float](repeating: 0, count: size * size)
        pixels.withUnsafeMutableBufferPointer { body($0) }
        return pixels
    }

    /// Total, centroid and second moments of an image.
    static func moments(_ pixels: [Float], size: Int = 128) -> (sum: Double, x: Double, y: Double, angle: Double) {
        var (s, sx, sy) = (0.0, 0.0, 0.0)
        for (k, v) in pixels.enumerated() {
            (s, sx, sy) = (s + Double(v), sx + Double(v) * Double(k % size), sy + Double(v) * Double(k / size))
        }
        let (cx, cy) = (sx / s, sy / s)
        var (xx, yy, xy) = (0.0, 0.0, 0.0)
        for (k, v) in pixels.enumerated() {
            let (dx, dy) = (Double(k % size) - cx, Double(k / size) - cy)
            (xx, yy, xy) = (xx + Double(v) * dx * dx, yy + Double(v) * dy * dy, xy + Double(v) * dx * dy)
        }
        return (s, cx, cy, 0.5 * atan2(2 * xy, xx - yy) * 180 / Double.pi)
    }

    @Test(arguments: [1, 4])
    func taperedSersicHoldsHalfItsLightWithinTheHalfLightRadius(index: Int) {
        let profile = SersicProfile(index: index, halfLightRadius: 5, axisRatio: 0.6, angleDegrees: 30)
        var inside = 0.0, total = 0.0
        let step = 0.02, reach = profile.extent
        var v = -reach
        while v < reach {
            var u = -reach
            while u < reach {
                let value = profile.value(u: u, v: v)
                total += value
                let major = profile.cosAngle * u + profile.sinAngle * v
                let minor = (-profile.sinAngle * u + profile.cosAngle * v) / profile.axisRatio
                if (major * major + minor * minor).squareRoot() <= 5 { inside += value }
                u += step
            }
            v += step
        }
        #expect(abs(inside / total - 0.5) < 0.003, "n = \(index): \(inside / total) within r_half")
    }

    @Test func galaxyStampConservesFluxAndKeepsItsCentreAndAngle() {
        var renderer = GalaxyRenderer(psf: MoffatProfile(fwhm: 2.5, beta: 3))
        let profile = SersicProfile(index: 1, halfLightRadius: 4, axisRatio: 0.5, angleDegrees: 20)
        // A map that turns the sky by 30 degrees, as an exposure rotated against the reference.
        let turn = 30 * Double.pi / 180
        let jacobian = Jacobian(dxdu: cos(turn), dxdv: -sin(turn), dydu: sin(turn), dydv: cos(turn))
        let pixels = Self.draw { renderer.add(profile, flux: 1e5, x: 63.3, y: 64.7, jacobian: jacobian, into: $0,
                                              width: 128, height: 128) }
        let m = Self.moments(pixels)
        #expect(abs(m.sum - 1e5) < 1)
        #expect(abs(m.x - 63.3) < 0.01 && abs(m.y - 64.7) < 0.01)
        #expect(abs(m.angle - 50) < 0.5, "major axis at \(m.angle) degrees")
    }

    @Test func pointSourcesKeepTheirFluxAndCentre() {
        let profile = MoffatProfile(fwhm: 1.6, beta: 2.5)
        let renderer = PointSourceRenderer(profile: profile, noise: 30)
        for (flux, x, y) in [(5e3, 40.3, 50.8), (3e4, 80.5, 70.49), (2e7, 64.12, 63.93)] {
            let pixels = Self.draw { renderer.add(flux: flux, x: x, y: y, into: $0, width: 128, height: 128) }
            let m = Self.moments(pixels)
            let r = Double(min(renderer.radius(flux: flux), 63))
            // Light within the drawn square is at least that within its inscribed circle.
            let inside = 1 - pow(1 + r * r / (profile.alpha * profile.alpha), 1 - profile.beta)
            #expect(m.sum <= flux * 1.000_01 && m.sum >= flux * inside * 0.999_9, "flux \(flux): \(m.sum)")
            #expect(abs(m.x - x) < 0.01 && abs(m.y - y) < 0.01, "flux \(flux): centroid (\(m.x), \(m.y))")
        }
    }

    @Test func pixelIntegralsOfTheMoffatSumToOne() {
        for (fwhm, beta) in [(1.5, 2.5), (3.5, 4.5)] {
            let profile = MoffatProfile(fwhm: fwhm, beta: beta)
            let radius = 200
            let stamp = profile.stamp(phaseX: 0.3, phaseY: -0.2, radius: radius)
            let beyond = pow(1 + Double(radius * radius) / (profile.alpha * profile.alpha), 1 - beta)
            #expect(abs(stamp.reduce(0, +) - 1) < beyond + 1e-5)
            // FWHM from the half-maximum contour: the profile's value at r = FWHM/2 is half its peak.
            #expect(abs(profile.value(r2: fwhm * fwhm / 4) / profile.value(r2: 0) - 0.5) < 1e-12)
        }
    }
}
