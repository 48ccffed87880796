import Foundation
import Imaging

/// The pixel-level features of ZTF's candidate schema, computed on
/// sign-adjusted D around a candidate (see ``CandidateFeatures`` for the
/// definitions the stored values follow).
enum Features {
    /// What the 5×5 box around a candidate says.
    struct Box: Equatable {
        var nneg: Int
        var nbad: Int
        var sumrat: Double
    }

    /// `nneg`, `nbad` and `sumrat` over the 5×5 box centred on the rounded
    /// position. Off-image pixels are NaN and `.noData` in the cutout, so
    /// they count as bad and nowhere else.
    static func box(cutout: Cutout, at position: PixelPoint) -> Box {
        let centre = cutout.local(position)
        let cx = Int(centre.x.rounded()), cy = Int(centre.y.rounded())
        var nneg = 0, nbad = 0
        var sum = 0.0, absoluteSum = 0.0
        for y in (cy - 2)...(cy + 2) {
            for x in (cx - 2)...(cx + 2) {
                guard cutout.image.contains(x: x, y: y) else {
                    nbad += 1
                    continue
                }
                if cutout.mask[x, y] != .good { nbad += 1 }
                let value = Double(cutout.image[x, y])
                guard value.isFinite else { continue }
                if value < 0 { nneg += 1 }
                sum += value
                absoluteSum += abs(value)
            }
        }
        return Box(nneg: nneg, nbad: nbad, sumrat: absoluteSum > 0 ? sum / absoluteSum : .nan)
    }

    /// min(P, N) / max(P, N) for the positive sum P and the negative sum N
    /// (as a magnitude) of pixels whose centres lie within `radius` of the
    /// position. Unusable and NaN pixels are skipped. 0 when both are 0.
    static func dipole(cutout: Cutout, at position: PixelPoint, radius: Double) -> Double {
        let centre = cutout.local(position)
        let r = Int(radius.rounded(.up))
        let cx = Int(centre.x.rounded()), cy = Int(centre.y.rounded())
        var positive = 0.0, negative = 0.0
        for y in max(0, cy - r)...min(cutout.image.height - 1, cy + r) {
            let dy = Double(y) - centre.y
            for x in max(0, cx - r)...min(cutout.image.width - 1, cx + r) {
                let dx = Double(x) - centre.x
                guard dx * dx + dy * dy <= radius * radius,
                      cutout.mask[x, y].isDisjoint(with: .unusable) else { continue }
                let value = Double(cutout.image[x, y])
                guard value.isFinite else { continue }
                if value > 0 { positive += value } else { negative -= value }
            }
        }
        let larger = max(positive, negative)
        return larger > 0 ? min(positive, negative) / larger : 0
    }

    /// Aperture magnitude minus PSF magnitude, −2.5 log10(F_ap / |psfFlux|):
    /// F_ap is the area-weighted sum of sign-adjusted D within `radius`,
    /// over F_D (D's flux scale) and over `psfFraction`, the share of P_D in
    /// the same aperture. NaN when either flux is not positive.
    static func magdiff(cutout: Cutout, at position: PixelPoint, radius: Double, differenceZeroPoint: Double,
                        psfFraction: Double, psfFlux: Double) -> Double {
        let sum = Photometry.apertureSum(cutout.image, mask: cutout.mask, center: cutout.local(position),
                                         radius: radius)
        let apertureFlux = sum / (differenceZeroPoint * psfFraction)
        guard apertureFlux > 0, abs(psfFlux) > 0, apertureFlux.isFinite else { return .nan }
        return -2.5 * log10(apertureFlux / abs(psfFlux))
    }
}
