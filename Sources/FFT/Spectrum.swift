/// The half-spectrum of a real `width` × `height` image, as FFTW's real-to-complex
/// transform lays it out.
///
/// ## Layout
/// - `height` rows of ``columns`` = `width / 2 + 1` complex values, row-major,
///   so the value for frequency `(u, v)` sits at index `v * columns + u`.
/// - `u` (along x, NAXIS1) runs over `0 ... width / 2`: non-negative
///   frequencies only, because the spectrum of a real image is Hermitian and the
///   other half is the complex conjugate, `F(-u, -v) = conj(F(u, v))`.
/// - `v` (along y, NAXIS2) runs over `0 ..< height`; rows `v > height / 2`
///   hold the negative frequencies `v - height`.
/// - Each value is two `Float`s, real part then imaginary part, in memory
///   aligned for FFTW's SIMD code.
/// - Values are unnormalised: `F(0, 0)` is the sum of all pixels.
///
/// A value type with copy-on-write storage, like `Array`; the storage is
/// allocated by `fftwf_alloc_real` and freed by the module when the last copy
/// goes.
public struct Spectrum: Sendable {
    /// Width in pixels (NAXIS1) of the real image this is the spectrum of.
    public let width: Int
    /// Height in pixels (NAXIS2) of the real image, and number of rows here.
    public let height: Int
    var storage: AlignedFloats

    /// Complex values per row: `width / 2 + 1`.
    public var columns: Int { width / 2 + 1 }
    /// Number of complex values, `height * columns`.
    public var count: Int { height * columns }

    /// An all-zero spectrum for a `width` × `height` image.
    public init(width: Int, height: Int) {
        self.init(uninitializedWidth: width, height: height)
        storage.base.initialize(repeating: 0, count: storage.count)
    }

    /// Storage that a transform is about to overwrite entirely.
    init(uninitializedWidth width: Int, height: Int) {
        precondition(width >= 1 && height >= 1, "spectrum of a \(width)x\(height) image")
        self.width = width
        self.height = height
        storage = AlignedFloats(count: 2 * height * (width / 2 + 1))
    }

    /// The value at frequency column `u` (0 ... width / 2) and row `v`
    /// (0 ..< height).
    public subscript(u: Int, v: Int) -> (re: Float, im: Float) {
        get {
            let i = index(u, v)
            return (storage.base[i], storage.base[i + 1])
        }
        set {
            let i = index(u, v)
            makeUnique()
            storage.base[i] = newValue.re
            storage.base[i + 1] = newValue.im
        }
    }

    /// Calls `body` with the values as `2 * count` interleaved floats
    /// (re, im, re, im, …) in the layout described above. The pointer is valid
    /// only inside `body`.
    public func withUnsafeValues<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Calls `body` with the values as `2 * count` writable interleaved floats;
    /// copies the storage first if another value shares it.
    public mutating func withUnsafeMutableValues<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    /// Gives this value storage of its own before a write.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = AlignedFloats(copying: storage.base, count: storage.count)
        }
    }

    private func index(_ u: Int, _ v: Int) -> Int {
        precondition(u >= 0 && u < columns && v >= 0 && v < height,
                     "frequency (\(u), \(v)) outside \(columns)x\(height) half-spectrum")
        return 2 * (v * columns + u)
    }
}

extension Spectrum: Equatable {
    /// Same shape and element-wise equal values (`Float` equality: `NaN` ≠ `NaN`).
    public static func == (lhs: Spectrum, rhs: Spectrum) -> Bool {
        guard lhs.width == rhs.width, lhs.height == rhs.height else { return false }
        if lhs.storage === rhs.storage { return true }
        let count = lhs.storage.count
        return (0..<count).allSatisfy { lhs.storage.base[$0] == rhs.storage.base[$0] }
    }
}
