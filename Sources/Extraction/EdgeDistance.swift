import Imaging

/// Distances from candidates to the nearest pixel that has no data: off the
/// image, or `.noData` in the merged mask (the science image did not cover
/// it).
///
/// One pass over the mask notes which 32×32 blocks hold a no-data pixel;
/// each query then reads only the blocks that could hold a nearer one than
/// the best found so far, so a query costs microseconds even on 2048² images
/// with large uncovered wedges.
struct EdgeDistance {
    private static let blockSize = 32
    private let mask: Image<MaskBits>
    private let blocksX: Int
    /// Row-major indices (by × blocksX + bx) of the blocks holding a no-data
    /// pixel.
    private let noDataBlocks: [Int]

    init(mask: Image<MaskBits>) {
        self.mask = mask
        let size = Self.blockSize
        let blocksX = (mask.width + size - 1) / size, blocksY = (mask.height + size - 1) / size
        self.blocksX = blocksX
        var marked = [Bool](repeating: false, count: blocksX * blocksY)
        mask.pixels.withUnsafeBufferPointer { bits in
            for y in 0..<mask.height {
                let row = y * mask.width, blockRow = (y / size) * blocksX
                for x in 0..<mask.width where bits[row + x].contains(.noData) {
                    marked[blockRow + x / size] = true
                }
            }
        }
        noDataBlocks = marked.indices.filter { marked[$0] }
    }

    /// Distance in pixels from `point` (0-based) to the centre of the nearest
    /// pixel off the image or marked `.noData`.
    func distance(from point: PixelPoint) -> Double {
        var best = min(point.x + 1, point.y + 1, Double(mask.width) - point.x, Double(mask.height) - point.y)
        let size = Self.blockSize
        let reachable = noDataBlocks
            .map { (block: $0, bound: lowerBound(point, block: $0)) }
            .filter { $0.bound < best }
            .sorted { $0.bound < $1.bound }
        for entry in reachable {
            guard entry.bound < best else { break }
            let x0 = (entry.block % blocksX) * size, y0 = (entry.block / blocksX) * size
            for y in y0..<min(mask.height, y0 + size) {
                let dy = Double(y) - point.y
                for x in x0..<min(mask.width, x0 + size) where mask[x, y].contains(.noData) {
                    let dx = Double(x) - point.x
                    best = min(best, (dx * dx + dy * dy).squareRoot())
                }
            }
        }
        return best
    }

    /// The distance from `point` to the nearest pixel centre of a block.
    private func lowerBound(_ point: PixelPoint, block: Int) -> Double {
        let size = Self.blockSize
        let x0 = Double((block % blocksX) * size), y0 = Double((block / blocksX) * size)
        let dx = max(0, x0 - point.x, point.x - (x0 + Double(size - 1)))
        let dy = max(0, y0 - point.y, point.y - (y0 + Double(size - 1)))
        return (dx * dx + dy * dy).squareRoot()
    }
}
