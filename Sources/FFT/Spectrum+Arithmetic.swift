/// Element-wise operations on spectra of the same size, as image subtraction
/// (ZOGY) needs them: products for convolution, conjugate products for
/// correlation, |F|² and real weights for noise terms.
///
/// Each is one pass over the values with no temporary; the in-place forms
/// copy storage only when it is shared.
extension Spectrum {
    /// Multiplies each value by the value at the same frequency in `other`
    /// (convolution in the image domain).
    public mutating func multiply(by other: Spectrum) {
        requireSameShape(other)
        makeUnique()
        Self.product(storage.base, other.storage.base, into: storage.base, count: count, conjugate: false)
    }

    /// Multiplies each value by the complex conjugate of the value at the same
    /// frequency in `other` (cross-correlation in the image domain:
    /// `c[x] = Σ_y self[x + y] · other[y]`, indices wrapping).
    public mutating func multiply(byConjugateOf other: Spectrum) {
        requireSameShape(other)
        makeUnique()
        Self.product(storage.base, other.storage.base, into: storage.base, count: count, conjugate: true)
    }

    /// `self × other`, element-wise; see ``multiply(by:)``.
    public func multiplied(by other: Spectrum) -> Spectrum {
        requireSameShape(other)
        let result = Spectrum(uninitializedWidth: width, height: height)
        Self.product(storage.base, other.storage.base, into: result.storage.base, count: count, conjugate: false)
        return result
    }

    /// `self × conj(other)`, element-wise; see ``multiply(byConjugateOf:)``.
    public func multiplied(byConjugateOf other: Spectrum) -> Spectrum {
        requireSameShape(other)
        let result = Spectrum(uninitializedWidth: width, height: height)
        Self.product(storage.base, other.storage.base, into: result.storage.base, count: count, conjugate: true)
        return result
    }

    /// `|F(u, v)|²` for every frequency, in the same row-major
    /// `height × columns` order as the values.
    public func magnitudeSquared() -> [Float] {
        let values = storage.base
        return [Float](unsafeUninitializedCapacity: count) { out, initialised in
            for i in 0..<count {
                let re = values[2 * i], im = values[2 * i + 1]
                (out.baseAddress! + i).initialize(to: re * re + im * im)
            }
            initialised = count
        }
    }

    /// Multiplies each value by a real weight, given per frequency in the
    /// row-major `height × columns` order of ``magnitudeSquared()``.
    public mutating func multiply(byReal weights: [Float]) {
        precondition(weights.count == count, "\(weights.count) weights for \(count) frequencies")
        makeUnique()
        let values = storage.base
        weights.withUnsafeBufferPointer { weights in
            for i in 0..<count {
                values[2 * i] *= weights[i]
                values[2 * i + 1] *= weights[i]
            }
        }
    }

    /// Multiplies every value by `factor`.
    public mutating func scale(by factor: Float) {
        makeUnique()
        let values = storage.base
        for i in 0..<storage.count { values[i] *= factor }
    }

    /// The shared kernel. `out` may be `lhs`: each value is read fully before
    /// it is written.
    private static func product(
        _ lhs: UnsafePointer<Float>, _ rhs: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>, count: Int, conjugate: Bool
    ) {
        let sign: Float = conjugate ? -1 : 1
        for i in 0..<count {
            let (a, b) = (lhs[2 * i], lhs[2 * i + 1])
            let (c, d) = (rhs[2 * i], sign * rhs[2 * i + 1])
            out[2 * i] = a * c - b * d
            out[2 * i + 1] = a * d + b * c
        }
    }

    private func requireSameShape(_ other: Spectrum) {
        precondition(width == other.width && height == other.height,
                     "spectra of \(width)x\(height) and \(other.width)x\(other.height) images")
    }
}
