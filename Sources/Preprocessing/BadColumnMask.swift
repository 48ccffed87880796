import Imaging

/// Finds bad columns (hot, dead or offset) by comparing each column's median
/// over blocks of rows with the columns two and three away on either side,
/// then repairs them from their neighbours.
enum BadColumnMask {
    /// Flags, repairs and marks bad column segments in a background-subtracted
    /// image. Returns the x of each column found.
    @discardableResult
    static func apply(_ image: inout Image<Float>, rms: Image<Float>, mask: inout Image<MaskBits>,
                      parameters: PreprocessParameters) -> [Int] {
        let w = image.width, h = image.height, block = max(16, parameters.badColumnBlock)
        guard w >= 8 else { return [] }
        var bad = [Bool](repeating: false, count: w * h)
        var columns = Set<Int>()
        var medians = [Float](repeating: 0, count: w)
        var scratch: [Float] = []
        for y0 in stride(from: 0, to: h, by: block) {
            let y1 = min(h, y0 + block)
            var noise: Float = 0
            for x in 0..<w {
                scratch.removeAll(keepingCapacity: true)
                for y in y0..<y1 where mask[x, y].isDisjoint(with: [.noData, .saturated]) { scratch.append(image[x, y]) }
                medians[x] = scratch.count >= (y1 - y0) / 2 ? RobustStatistics.medianInPlace(&scratch) : .nan
                noise += rms[x, (y0 + y1) / 2]
            }
            // The median of n Gaussian values scatters by 1.2533 σ / √n.
            let sigma = 1.2533 * noise / Float(w) / Float(y1 - y0).squareRoot()
            for x in 0..<w where !medians[x].isNaN {
                var around = [x - 3, x - 2, x + 2, x + 3].filter { $0 >= 0 && $0 < w }.map { medians[$0] }.filter { !$0.isNaN }
                guard around.count >= 2 else { continue }
                let reference = RobustStatistics.medianInPlace(&around)
                let offset = abs(medians[x] - reference)
                if offset > Float(parameters.badColumnSigma) * sigma && offset > 0.5 * noise / Float(w) {
                    for y in y0..<y1 { bad[y * w + x] = true }
                    columns.insert(x)
                }
            }
        }
        for i in 0..<bad.count where bad[i] {
            let x = i % w
            let left = x > 0 && !bad[i - 1] ? image.pixels[i - 1] : nil
            let right = x < w - 1 && !bad[i + 1] ? image.pixels[i + 1] : nil
            image.pixels[i] = [left, right].compactMap { $0 }.reduce(0, +) / Float(max(1, [left, right].compactMap { $0 }.count))
            mask.pixels[i].formUnion([.bad, .interpolated])
        }
        return columns.sorted()
    }
}
