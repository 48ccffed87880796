import CFFTW

/// A block of `Float`s from `fftwf_alloc_real`, freed with `fftwf_free` when the
/// last reference goes.
///
/// Plans are made on arrays with FFTW's SIMD alignment, and the new-array
/// execute functions require every later array to have that same alignment;
/// this class is how the module guarantees it.
///
/// Sendable because the pointer never changes; the *contents* are only written
/// through values that checked `isKnownUniquelyReferenced` first, the same
/// discipline as `Array`'s storage.
final class AlignedFloats: @unchecked Sendable {
    /// Number of `Float`s, not bytes.
    let count: Int
    let base: UnsafeMutablePointer<Float>

    /// Uninitialised storage for `count` floats. Running out of memory traps, as
    /// it does for a Swift array.
    init(count: Int) {
        precondition(count >= 0, "negative float count \(count)")
        // fftwf_alloc_real(0) may legitimately return NULL; one float keeps the
        // pointer non-optional.
        guard let base = fftwf_alloc_real(max(count, 1)) else {
            fatalError("fftwf_alloc_real: out of memory for \(count) floats")
        }
        self.count = count
        self.base = base
    }

    /// A copy of `count` floats starting at `source`.
    convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        base.update(from: source, count: count)
    }

    deinit { fftwf_free(base) }

    /// Whether `pointer` has the alignment FFTW planned with, so a plan may
    /// execute on it directly instead of on a copy.
    static func isAligned(_ pointer: UnsafePointer<Float>) -> Bool {
        fftwf_alignment_of(UnsafeMutablePointer(mutating: pointer)) == 0
    }
}
