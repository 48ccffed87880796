/// How the background is estimated, with SExtractor's defaults.
public struct BackgroundParameters: Sendable, Equatable, Codable {
    /// Mesh cell size in pixels (SExtractor BACK_SIZE). 32–512; default 64.
    public var meshSize: Int = 64
    /// Median filter over the mesh grid, in cells (BACK_FILTERSIZE); 1 disables.
    public var filterSize: Int = 3
    /// Sigma-clipping half-width in standard deviations.
    public var clipSigma: Double = 3
    /// A cell with fewer usable pixels than this fraction is filled from its
    /// neighbours instead of being estimated.
    public var minimumValidFraction: Double = 0.5

    /// SExtractor's defaults.
    public init() {}

    /// Custom parameters; see each property for units.
    public init(meshSize: Int, filterSize: Int = 3, clipSigma: Double = 3, minimumValidFraction: Double = 0.5) {
        self.meshSize = meshSize
        self.filterSize = filterSize
        self.clipSigma = clipSigma
        self.minimumValidFraction = minimumValidFraction
    }
}

/// A smooth model of the sky level and its noise, in the manner of SExtractor:
/// a mesh of cells, each sigma-clipped to a mode estimate and an rms, median
/// filtered across cells, then interpolated to every pixel with a bicubic
/// spline.
///
/// Units are those of the image (ADU or electrons); `rms` is the standard
/// deviation of the sky per pixel, without source noise.
public struct BackgroundModel: Sendable {
    /// Size of the image the model describes, in pixels.
    public let width: Int
    public let height: Int
    /// The parameters it was made with.
    public let parameters: BackgroundParameters
    /// Number of mesh cells along x and y.
    public let meshColumns: Int
    public let meshRows: Int
    /// Sky level per cell, row-major over the mesh, after filtering.
    public let meshLevels: [Float]
    /// Sky rms per cell, row-major over the mesh, after filtering.
    public let meshRMS: [Float]
    /// The sky level and rms at every pixel, interpolated once (bicubic spline
    /// through the cell centres) and kept: preprocessing reads them several times.
    private let level: Image<Float>
    private let rms: Image<Float>

    /// The median of the cell levels: one number for the whole image.
    public var globalLevel: Float { Self.median(meshLevels) }
    /// The median of the cell rms values.
    public var globalRMS: Float { Self.median(meshRMS) }

    /// Estimates the background of `image`, ignoring NaN pixels and pixels
    /// whose mask carries any of ``MaskBits/unusable``.
    public static func estimate(_ image: Image<Float>, mask: Image<MaskBits>? = nil,
                                parameters: BackgroundParameters = BackgroundParameters()) -> BackgroundModel {
        let mesh = max(1, parameters.meshSize)
        let nx = (image.width + mesh - 1) / mesh
        let ny = (image.height + mesh - 1) / mesh
        var cells = MeshCells(columns: nx, rows: ny)
        var scratch = [Float](repeating: 0, count: mesh * mesh)
        for cy in 0..<ny {
            for cx in 0..<nx {
                let n = gather(image, mask: mask, cellX: cx, cellY: cy, mesh: mesh, into: &scratch)
                let area = min(mesh, image.width - cx * mesh) * min(mesh, image.height - cy * mesh)
                guard n >= max(3, Int(Double(area) * parameters.minimumValidFraction)) else { continue }
                let stats = scratch.withUnsafeMutableBufferPointer {
                    RobustStatistics.sigmaClip(UnsafeMutableBufferPointer(rebasing: $0[0..<n]),
                                               sigma: parameters.clipSigma)
                }
                cells.set(cx, cy, level: Float(stats.mode), rms: Float(stats.standardDeviation))
            }
        }
        cells.fillInvalid()
        cells.medianFilter(size: parameters.filterSize)
        return BackgroundModel(width: image.width, height: image.height, parameters: parameters,
                               meshColumns: nx, meshRows: ny, meshLevels: cells.levels, meshRMS: cells.rms,
                               residualOf: image, mask: mask)
    }

    /// Interpolates the mesh and re-measures the rms on the residual: a
    /// gradient across a cell inflates the rms of raw cell values (a ramp of
    /// Δ adds Δ²/12 to the variance), but not of the residual.
    private init(width: Int, height: Int, parameters: BackgroundParameters, meshColumns: Int, meshRows: Int,
                 meshLevels: [Float], meshRMS: [Float], residualOf image: Image<Float>, mask: Image<MaskBits>?) {
        self.width = width
        self.height = height
        self.parameters = parameters
        self.meshColumns = meshColumns
        self.meshRows = meshRows
        self.meshLevels = meshLevels
        let level = Self.interpolate(meshLevels, width: width, height: height, columns: meshColumns, rows: meshRows,
                                     mesh: parameters.meshSize)
        var residual = image
        for i in 0..<residual.count { residual.pixels[i] -= level.pixels[i] }
        var cells = MeshCells(columns: meshColumns, rows: meshRows)
        cells.levels = meshLevels
        cells.rms = Self.residualRMS(residual, mask: mask, fallback: meshRMS, columns: meshColumns, rows: meshRows,
                                     mesh: parameters.meshSize)
        cells.medianFilter(size: parameters.filterSize)
        self.meshRMS = cells.rms
        self.level = level
        self.rms = Self.interpolate(cells.rms, width: width, height: height, columns: meshColumns, rows: meshRows,
                                    mesh: parameters.meshSize)
    }

    /// Per cell, the sigma-clipped standard deviation of the residual, as
    /// SExtractor clips the raw values.
    private static func residualRMS(_ residual: Image<Float>, mask: Image<MaskBits>?, fallback: [Float], columns: Int,
                                    rows: Int, mesh: Int) -> [Float] {
        var rms = fallback
        var scratch = [Float](repeating: 0, count: mesh * mesh)
        for cy in 0..<rows {
            for cx in 0..<columns {
                let n = gather(residual, mask: mask, cellX: cx, cellY: cy, mesh: mesh, into: &scratch)
                guard n >= 3 else { continue }
                let stats = scratch.withUnsafeMutableBufferPointer {
                    RobustStatistics.sigmaClip(UnsafeMutableBufferPointer(rebasing: $0[0..<n]), sigma: 3)
                }
                if stats.standardDeviation.isFinite, stats.standardDeviation > 0 {
                    rms[cy * columns + cx] = Float(stats.standardDeviation)
                }
            }
        }
        return rms
    }

    /// The sky level at every pixel.
    public func levelImage() -> Image<Float> { level }

    /// The sky rms at every pixel.
    public func rmsImage() -> Image<Float> { rms }

    /// `image` minus the sky level, pixel by pixel.
    public func subtracted(from image: Image<Float>) -> Image<Float> {
        precondition(image.width == width && image.height == height, "background model size mismatch")
        var out = image
        for i in 0..<out.count { out.pixels[i] -= level.pixels[i] }
        return out
    }

    private static func gather(_ image: Image<Float>, mask: Image<MaskBits>?, cellX: Int, cellY: Int,
                               mesh: Int, into scratch: inout [Float]) -> Int {
        var n = 0
        let x0 = cellX * mesh, y0 = cellY * mesh
        let x1 = min(image.width, x0 + mesh), y1 = min(image.height, y0 + mesh)
        for y in y0..<y1 {
            let row = y * image.width
            for x in x0..<x1 {
                let v = image.pixels[row + x]
                guard !v.isNaN else { continue }
                if let mask, !mask.pixels[row + x].isDisjoint(with: .unusable) { continue }
                scratch[n] = v
                n += 1
            }
        }
        return n
    }

    /// Bicubic spline interpolation through the cell centres: splines down each
    /// mesh column first, then one spline along each image row.
    private static func interpolate(_ grid: [Float], width: Int, height: Int, columns meshColumns: Int, rows meshRows: Int,
                                    mesh meshSize: Int) -> Image<Float> {
        let mesh = Double(meshSize)
        let centre = mesh / 2 - 0.5
        let columns = (0..<meshColumns).map { cx in
            UniformCubicSpline(origin: centre, spacing: mesh,
                               values: (0..<meshRows).map { Double(grid[$0 * meshColumns + cx]) })
        }
        var out = Image<Float>(width: width, height: height, repeating: 0)
        for y in 0..<height {
            let knots = columns.map { $0.value(at: Double(y)) }
            let row = UniformCubicSpline(origin: centre, spacing: mesh, values: knots)
            let base = y * width
            for x in 0..<width { out.pixels[base + x] = Float(row.value(at: Double(x))) }
        }
        return out
    }

    private static func median(_ values: [Float]) -> Float {
        var copy = values.filter { !$0.isNaN }
        return RobustStatistics.medianInPlace(&copy)
    }
}
