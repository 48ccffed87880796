import Imaging

/// Sets ``CandidateFlags`` from what the measurement found.
enum Flags {
    /// Everything the flags depend on, gathered by the measurement.
    struct Evidence {
        var nbad: Int
        var isBlended: Bool
        var isSaturatedNearby: Bool
        var isStampTruncated: Bool
        var isPositive: Bool
        var isNearBrightStar: Bool
    }

    static func flags(_ evidence: Evidence) -> CandidateFlags {
        var flags: CandidateFlags = []
        if evidence.nbad > 0 { flags.insert(.badPixels) }
        if evidence.isBlended { flags.insert(.blended) }
        if evidence.isSaturatedNearby { flags.insert(.saturated) }
        if evidence.isStampTruncated { flags.insert(.edge) }
        if !evidence.isPositive { flags.insert(.negative) }
        if evidence.isNearBrightStar { flags.insert(.nearBrightStar) }
        return flags
    }

    /// Whether either input mask has a `.saturated` pixel in the 5×5 box
    /// around the rounded position or within `radius` of the position.
    ///
    /// The input masks rather than the merged one, so the question is about
    /// the images as observed, whatever the merge does with the bit.
    static func isSaturatedNearby(_ masks: [Image<MaskBits>], at position: PixelPoint, radius: Double) -> Bool {
        let cx = Int(position.x.rounded()), cy = Int(position.y.rounded())
        let reach = max(2, Int(radius.rounded(.up)))
        for mask in masks {
            for y in max(0, cy - reach)...min(mask.height - 1, cy + reach) {
                let dy = Double(y) - position.y
                for x in max(0, cx - reach)...min(mask.width - 1, cx + reach) where mask[x, y].contains(.saturated) {
                    let dx = Double(x) - position.x
                    let inBox = abs(x - cx) <= 2 && abs(y - cy) <= 2
                    if inBox || dx * dx + dy * dy <= radius * radius { return true }
                }
            }
        }
        return false
    }
}
