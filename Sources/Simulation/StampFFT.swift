import Foundation

/// A small radix-2 complex FFT for square stamps whose side is a power of
/// two, used to convolve galaxy stamps with the PSF. The planner (FFTW) lives
/// in the FFT module, which the simulator does not depend on; stamps here are
/// at most a few hundred pixels, where this is fast enough.
struct StampFFT: Sendable {
    /// Side of the stamps, a power of two.
    let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let reversed: [Int]

    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size \(size) is not a power of two")
        self.size = size
        cosines = (0..<(size / 2)).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { -sin(2 * Double.pi * Double($0) / Double(size)) }
        var reversed = [Int](repeating: 0, count: size)
        let bits = size.trailingZeroBitCount
        for index in 0..<size {
            var value = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { value |= 1 << (bits - 1 - bit) }
            reversed[index] = value
        }
        self.reversed = reversed
    }

    /// The smallest power of two >= `length` (at least 8).
    static func size(atLeast length: Int) -> Int {
        var size = 8
        while size < length { size *= 2 }
        return size
    }

    /// Transforms the `size`² row-major complex array in place: forward with
    /// e^(-2πi k·x/N), or inverse (unnormalised) with `inverse`.
    func transform2D(real: inout [Double], imaginary: inout [Double], inverse: Bool) {
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                cosines.withUnsafeBufferPointer { cosines in
                    sines.withUnsafeBufferPointer { sines in
                        // Rows, then columns as rows of the transpose, then back.
                        for _ in 0..<2 {
                            for row in 0..<size {
                                transform(re, im, offset: row * size, inverse: inverse, cosines: cosines, sines: sines)
                            }
                            transpose(re)
                            transpose(im)
                        }
                    }
                }
            }
        }
    }

    private func transpose(_ data: UnsafeMutableBufferPointer<Double>) {
        for j in 0..<size {
            for i in (j + 1)..<size {
                data.swapAt(j * size + i, i * size + j)
            }
        }
    }

    /// One in-place 1-D transform of `size` points starting at `offset`.
    private func transform(_ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>,
                           offset: Int, inverse: Bool,
                           cosines: UnsafeBufferPointer<Double>, sines: UnsafeBufferPointer<Double>) {
        for index in 0..<size {
            let partner = reversed[index]
            if partner > index {
                re.swapAt(offset + index, offset + partner)
                im.swapAt(offset + index, offset + partner)
            }
        }
        let sign = inverse ? -1.0 : 1.0
        var length = 2
        while length <= size {
            let half = length / 2, stride = size / length
            var start = 0
            while start < size {
                for k in 0..<half {
                    let wr = cosines[k * stride], wi = sign * sines[k * stride]
                    let a = offset + start + k, b = a + half
                    let tr = re[b] * wr - im[b] * wi
                    let ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += length
            }
            length *= 2
        }
    }
}
