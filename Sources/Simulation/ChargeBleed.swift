import Imaging

/// Charge overflow of saturated pixels along their column, as in a CCD:
/// charge beyond the full well of a pixel spills into its neighbours up and
/// down the column, filling each to the full well in turn, half each way.
/// Charge that runs off the end of the column is lost. Heavily saturated
/// stars thus grow bleed trails whose length follows their excess charge.
enum ChargeBleed {
    /// Spreads the excess of every pixel above `fullWell` (e⁻) in the
    /// row-major `pixels` of a `width` x `height` image. Returns the number
    /// of pixels at the full well afterwards.
    @discardableResult
    static func apply(fullWell: Double, pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) -> Int {
        let well = Float(fullWell)
        // Find the columns that need it with a row-major scan, then walk only those.
        var flagged = [Bool](repeating: false, count: width)
        for index in 0..<(width * height) where pixels[index] > well {
            flagged[index % width] = true
        }
        var full = 0
        for x in 0..<width where flagged[x] {
            full += bleed(column: x, well: well, pixels: pixels, width: width, height: height)
        }
        return full
    }

    private static func bleed(column x: Int, well: Float, pixels: UnsafeMutableBufferPointer<Float>,
                              width: Int, height: Int) -> Int {
        var y = 0
        while y < height {
            guard pixels[y * width + x] > well else {
                y += 1
                continue
            }
            // A run of over-full pixels: cap it and collect its excess.
            var excess = 0.0
            var end = y
            while end < height, pixels[end * width + x] > well {
                excess += Double(pixels[end * width + x] - well)
                pixels[end * width + x] = well
                end += 1
            }
            spill(excess / 2, from: y - 1, step: -1, x: x, well: well, pixels: pixels, width: width, height: height)
            let top = spill(excess / 2, from: end, step: 1, x: x, well: well, pixels: pixels, width: width, height: height)
            y = max(end, top)
        }
        var full = 0
        for row in 0..<height where pixels[row * width + x] >= well { full += 1 }
        return full
    }

    /// Fills pixels from row `start` in direction `step` up to the well until
    /// `charge` is used, absorbing the excess of over-full pixels it meets;
    /// returns the first row it did not fill completely.
    @discardableResult
    private static func spill(_ charge: Double, from start: Int, step: Int, x: Int, well: Float,
                              pixels: UnsafeMutableBufferPointer<Float>, width: Int, height: Int) -> Int {
        var remaining = charge
        var row = start
        while remaining > 0, row >= 0, row < height {
            let index = row * width + x
            if pixels[index] > well {
                // Another over-full run: its excess joins the charge moving this way.
                remaining += Double(pixels[index] - well)
                pixels[index] = well
                row += step
                continue
            }
            let room = Double(well - pixels[index])
            if room >= remaining {
                pixels[index] += Float(remaining)
                return row
            }
            pixels[index] = well
            remaining -= room
            row += step
        }
        return row
    }
}

/// Turns expected electrons into a noisy image in ADU.
enum NoiseSampler {
    /// For each pixel: a Poisson draw of its expected electrons, plus Gaussian
    /// read noise of variance `readVariance`, divided by the gain. Pixels are
    /// visited in row-major order with one stream, so the noise is fixed by
    /// the exposure's seed alone.
    static func sample(expected: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
                       readVariance: Double, gain: Double, random: inout SeededRandom) {
        let readSigma = readVariance.squareRoot(), inverseGain = 1 / gain
        for index in 0..<expected.count {
            let electrons = random.poisson(Double(max(expected[index], 0)))
            output[index] = Float((electrons + readSigma * random.normal()) * inverseGain)
        }
    }

    /// Clips to the saturation level (ADU): pixels whose expected charge
    /// reached the full well read exactly `saturation`, as an ADC at its
    /// limit does, and no pixel exceeds it.
    static func saturate(_ output: UnsafeMutableBufferPointer<Float>, expected: UnsafeBufferPointer<Float>,
                         fullWell: Double, saturation: Double) {
        let well = Float(fullWell), level = Float(saturation)
        for index in 0..<output.count {
            if expected[index] >= well || output[index] > level { output[index] = level }
        }
    }
}
