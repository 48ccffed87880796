import Imaging

/// Finds cosmic-ray tracks that are too soft to be sharp pixel by pixel: a
/// track 2–3 px wide looks locally like the wing of a star, but across the
/// track it is narrower than the PSF, which nothing on the sky can be.
enum CosmicRayTracks {
    /// Flags the pixels of every significant segment whose minor axis
    /// (adaptive moments) is below the configured fraction of the PSF's σ.
    /// Returns the number of pixels flagged.
    static func flag(_ image: Image<Float>, rms: Image<Float>, mask: Image<MaskBits>, psf: PSFModel,
                     parameters: PreprocessParameters, into flagged: inout [Bool]) -> Int {
        let psfSigma = max(psf.fwhm, 1) / 2.3548
        let limit = parameters.cosmicRayMinorAxisFraction * psfSigma
        var significance = image
        for i in 0..<significance.count {
            let noise = rms.pixels[i]
            significance.pixels[i] = flagged[i] || noise <= 0 ? 0 : image.pixels[i] / noise
        }
        let segments = Segmentation.segments(in: significance, threshold: Float(parameters.cosmicRaySigma), minimumArea: 2,
                                             mask: mask, excluded: [.noData, .saturated, .trail, .bad])
        var count = 0
        // Only segments bright enough for a trustworthy shape: the moments of
        // a faint star scatter enough to look narrow.
        for segment in segments where segment.area <= 400 && segment.peakValue >= Float(parameters.cosmicRayTrackSigma) {
            let peak = PixelPoint(x: Double(segment.peakIndex % image.width), y: Double(segment.peakIndex / image.width))
            guard let shape = AdaptiveMoments.measure(image, center: peak, initialSigma: psfSigma, mask: mask),
                  shape.b < limit else { continue }
            // Grow the track to its faint edges: connected pixels above 2σ.
            for index in grown(segment, significance: significance, width: image.width) where !flagged[index] {
                flagged[index] = true
                count += 1
            }
        }
        return count
    }

    /// The segment's pixels plus the 8-connected pixels above 2σ around it.
    private static func grown(_ segment: Segment, significance: Image<Float>, width: Int) -> [Int] {
        var members = Set(segment.pixels.map(Int.init))
        var frontier = Array(members)
        while let index = frontier.popLast() {
            let x = index % width, y = index / width
            for dy in -1...1 {
                for dx in -1...1 {
                    let xx = x + dx, yy = y + dy
                    guard significance.contains(x: xx, y: yy) else { continue }
                    let j = yy * width + xx
                    if !members.contains(j) && significance.pixels[j] > 2 && members.count < 2_000 {
                        members.insert(j)
                        frontier.append(j)
                    }
                }
            }
        }
        return members.sorted()
    }
}
