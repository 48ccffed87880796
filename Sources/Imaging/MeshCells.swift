/// The background mesh while it is being built: per-cell level and rms, with
/// cells that had too few usable pixels marked invalid (NaN) until filled.
struct MeshCells {
    let columns: Int
    let rows: Int
    var levels: [Float]
    var rms: [Float]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        levels = [Float](repeating: .nan, count: columns * rows)
        rms = [Float](repeating: .nan, count: columns * rows)
    }

    mutating func set(_ x: Int, _ y: Int, level: Float, rms value: Float) {
        levels[y * columns + x] = level
        rms[y * columns + x] = value
    }

    /// Fills invalid cells with the mean of their valid 8-neighbours, growing
    /// inward until every cell has a value. A mesh with no valid cell at all
    /// becomes zero level and zero rms.
    mutating func fillInvalid() {
        guard levels.contains(where: { !$0.isNaN }) else {
            levels = levels.map { _ in 0 }
            rms = rms.map { _ in 0 }
            return
        }
        while levels.contains(where: \.isNaN) {
            let (oldLevels, oldRMS) = (levels, rms)
            for y in 0..<rows {
                for x in 0..<columns where oldLevels[y * columns + x].isNaN {
                    var sum: Float = 0, sumRMS: Float = 0, n: Float = 0
                    for yy in max(0, y - 1)...min(rows - 1, y + 1) {
                        for xx in max(0, x - 1)...min(columns - 1, x + 1) {
                            let v = oldLevels[yy * columns + xx]
                            guard !v.isNaN else { continue }
                            sum += v
                            sumRMS += oldRMS[yy * columns + xx]
                            n += 1
                        }
                    }
                    if n > 0 { set(x, y, level: sum / n, rms: sumRMS / n) }
                }
            }
        }
    }

    /// A median filter of `size`×`size` cells over both grids, which removes
    /// cells pulled up by a bright star or galaxy.
    mutating func medianFilter(size: Int) {
        guard size > 1 else { return }
        let half = size / 2
        levels = filtered(levels, half: half)
        rms = filtered(rms, half: half)
    }

    private func filtered(_ grid: [Float], half: Int) -> [Float] {
        var out = grid
        var window = [Float]()
        for y in 0..<rows {
            for x in 0..<columns {
                window.removeAll(keepingCapacity: true)
                for yy in (y - half)...(y + half) {
                    for xx in (x - half)...(x + half) {
                        window.append(reflected(grid, xx, yy))
                    }
                }
                out[y * columns + x] = RobustStatistics.medianInPlace(&window)
            }
        }
        return out
    }

    /// The grid value at a cell index that may lie outside the mesh, by point
    /// reflection through the nearest edge cell (`v(-k) = 2 v(0) - v(k)`).
    /// Unlike a truncated window, this keeps the median of a linear gradient
    /// unbiased at the image edges.
    private func reflected(_ grid: [Float], _ x: Int, _ y: Int) -> Float {
        if columns > 1 {
            if x < 0 { return 2 * reflected(grid, 0, y) - reflected(grid, min(-x, columns - 1), y) }
            if x >= columns {
                return 2 * reflected(grid, columns - 1, y) - reflected(grid, max(2 * (columns - 1) - x, 0), y)
            }
        }
        if rows > 1 {
            if y < 0 { return 2 * reflected(grid, x, 0) - reflected(grid, x, min(-y, rows - 1)) }
            if y >= rows { return 2 * reflected(grid, x, rows - 1) - reflected(grid, x, max(2 * (rows - 1) - y, 0)) }
        }
        return grid[min(max(y, 0), rows - 1) * columns + min(max(x, 0), columns - 1)]
    }
}
