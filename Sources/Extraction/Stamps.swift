import Imaging

/// The cut-outs a person (or a CNN) looks at to judge a candidate.
enum Stamps {
    /// Science, reference and difference stamps of side `side` (odd) centred
    /// on the rounded position, NaN past the image, and whether they are
    /// truncated: part of the square off the image or on `.noData` pixels.
    static func cut(new: Image<Float>, reference: Image<Float>, difference: Image<Float>, mask: Image<MaskBits>,
                    at position: PixelPoint, side: Int) -> (stamps: CandidateStamps, truncated: Bool) {
        let half = side / 2
        let originX = Int(position.x.rounded()) - half, originY = Int(position.y.rounded()) - half
        func cut(_ image: Image<Float>) -> Image<Float> {
            image.window(originX: originX, originY: originY, width: side, height: side, outside: .nan)
        }
        let stamps = CandidateStamps(science: cut(new), reference: cut(reference), difference: cut(difference),
                                     originX: originX, originY: originY)
        return (stamps, isTruncated(mask, originX: originX, originY: originY, side: side))
    }

    private static func isTruncated(_ mask: Image<MaskBits>, originX: Int, originY: Int, side: Int) -> Bool {
        guard originX >= 0, originY >= 0, originX + side <= mask.width, originY + side <= mask.height else {
            return true
        }
        for y in originY..<(originY + side) {
            let row = y * mask.width
            for x in originX..<(originX + side) where mask.pixels[row + x].contains(.noData) { return true }
        }
        return false
    }
}
