/// FFT-friendly sizes. FFTW is fastest on sizes whose prime factors are 2, 3,
/// 5 and 7; a size with a large prime factor (the LT frames' 1030 = 2·5·103)
/// is several times slower and takes far longer to plan.
enum FFTSize {
    /// The smallest n ≥ `size` with no prime factor above 7.
    static func good(atLeast size: Int) -> Int {
        var n = max(1, size)
        while !isSmooth(n) { n += 1 }
        return n
    }

    static func isSmooth(_ value: Int) -> Bool {
        var n = value
        for p in [2, 3, 5, 7] {
            while n % p == 0 { n /= p }
        }
        return n == 1
    }
}

import Imaging

extension Image where Pixel == Float {
    /// This image in the top-left corner of a `width`×`height` zero image.
    func padded(toWidth width: Int, height: Int) -> Image<Float> {
        guard width != self.width || height != self.height else { return self }
        var out = Image<Float>(width: width, height: height, repeating: 0)
        for y in 0..<self.height {
            for x in 0..<self.width { out.pixels[y * width + x] = pixels[y * self.width + x] }
        }
        return out
    }

    /// The top-left `width`×`height` corner of this image.
    func cropped(toWidth width: Int, height: Int) -> Image<Float> {
        guard width != self.width || height != self.height else { return self }
        var out = Image<Float>(width: width, height: height, repeating: 0)
        for y in 0..<height {
            for x in 0..<width { out.pixels[y * width + x] = pixels[y * self.width + x] }
        }
        return out
    }
}
