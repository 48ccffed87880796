/// Forward and inverse 2-D real FFTs for one image size, obtained from an
/// ``FFTPlanner``.
///
/// Transforms are unnormalised forward (FFTW's `exp(-2πi·k·x/n)` convention)
/// and normalised inverse: ``inverse(_:)`` divides by `width × height`, so
/// `inverse(forward(x)) == x` up to rounding.
///
/// Sendable and safe to use from many tasks at once: every call runs FFTW's
/// new-array execute on arrays of its own. Each call allocates its output;
/// nothing is kept between calls.
public struct FFTPlan: Sendable {
    let forwardPlan: FFTWPlan
    let inversePlan: FFTWPlan

    /// Image width in pixels (NAXIS1) that this plan transforms.
    public var width: Int { forwardPlan.key.width }
    /// Image height in pixels (NAXIS2) that this plan transforms.
    public var height: Int { forwardPlan.key.height }

    /// The half-spectrum of `image`, whose size must match the plan.
    ///
    /// `image` is not modified; when its pixel array already has FFTW's
    /// alignment it is transformed in place without a copy.
    public func forward(_ image: Image<Float>) -> Spectrum {
        forward(image, inPlaceIfAligned: true)
    }

    /// `inPlaceIfAligned: false` makes tests reach the copying path, which
    /// aligned Swift arrays would otherwise hide.
    func forward(_ image: Image<Float>, inPlaceIfAligned: Bool) -> Spectrum {
        precondition(image.width == width && image.height == height,
                     "FFT plan is \(width)x\(height), image is \(image.width)x\(image.height)")
        let spectrum = Spectrum(uninitializedWidth: width, height: height)
        image.pixels.withUnsafeBufferPointer { pixels in
            let source = pixels.baseAddress!
            if inPlaceIfAligned && AlignedFloats.isAligned(source) {
                // The forward plan was made with PRESERVE_INPUT: FFTW only reads.
                forwardPlan.executeForward(real: UnsafeMutablePointer(mutating: source),
                                           spectrum: spectrum.storage.base)
            } else {
                let copy = AlignedFloats(copying: source, count: pixels.count)
                forwardPlan.executeForward(real: copy.base, spectrum: spectrum.storage.base)
            }
        }
        return spectrum
    }

    /// The image whose half-spectrum is `spectrum`, divided by
    /// `width × height` so that it inverts ``forward(_:)``.
    ///
    /// FFTW's multi-dimensional complex-to-real transform destroys its input.
    /// When the caller hands over the only copy of `spectrum`, its storage
    /// serves as that scratch and nothing is copied; otherwise it is copied
    /// first (tens of megabytes at 2048²). A temporary such as
    /// `plan.inverse(a.multiplied(by: b))` is always handed over; for a
    /// variable write `plan.inverse(consume product)`, since without `consume`
    /// a debug build keeps the variable alive and pays the copy. Either way no
    /// caller-visible value changes.
    public func inverse(_ spectrum: consuming Spectrum) -> Image<Float> {
        inverse(consume spectrum, inPlaceIfAligned: true)
    }

    /// `inPlaceIfAligned: false` writes through an aligned temporary even when
    /// the new pixel array is aligned, so tests reach that path too.
    func inverse(_ spectrum: consuming Spectrum, inPlaceIfAligned: Bool) -> Image<Float> {
        precondition(spectrum.width == width && spectrum.height == height,
                     "FFT plan is \(width)x\(height), spectrum is of \(spectrum.width)x\(spectrum.height)")
        spectrum.makeUnique()
        let scratch = spectrum.storage.base
        let count = width * height
        let scale = 1 / Float(count)
        let pixels = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            let target = buffer.baseAddress!
            if inPlaceIfAligned && AlignedFloats.isAligned(target) {
                inversePlan.executeInverse(spectrum: scratch, real: target)
                for i in 0..<count { target[i] *= scale }
            } else {
                let real = AlignedFloats(count: count)
                inversePlan.executeInverse(spectrum: scratch, real: real.base)
                for i in 0..<count { (target + i).initialize(to: real.base[i] * scale) }
            }
            initialised = count
        }
        return Image(width: width, height: height, pixels: pixels)
    }
}
