import Testing
@testable import Imaging

@Suite struct SegmentationTests {
    @Test func separatesBlobsAndJoinsDiagonals() {
        var image = Image<Float>(width: 20, height: 10, repeating: 0)
        // A U shape: two arms that join only at the bottom, so the labels
        // meet late and must be merged.
        for y in 2...6 { image[2, y] = 5; image[6, y] = 5 }
        for x in 2...6 { image[x, 7] = 5 }
        image[2, 4] = 9
        // A diagonal chain: 8-connected, one segment.
        for k in 0..<5 { image[12 + k, 1 + k] = 4 }
        // A single hot pixel: below minimum area.
        image[18, 8] = 100
        let segments = Segmentation.segments(in: image, threshold: 1, minimumArea: 3)
        #expect(segments.count == 2)
        let u = segments.first { $0.minX == 2 }!
        #expect(u.area == 5 + 5 + 5)
        #expect(u.peakValue == 9 && u.peakIndex == 4 * 20 + 2)
        #expect(u.minY == 2 && u.maxY == 7 && u.maxX == 6)
        let chain = segments.first { $0.minX == 12 }!
        #expect(chain.area == 5)
        #expect(chain.peakValue == 4)
    }

    @Test func maskedPixelsSplitSegments() {
        var image = Image<Float>(width: 9, height: 3, repeating: 0)
        for x in 0..<9 { image[x, 1] = 3 }
        image[4, 1] = 50
        var mask = Image<MaskBits>.good(width: 9, height: 3)
        mask[4, 1] = .bad
        let segments = Segmentation.segments(in: image, threshold: 1, minimumArea: 1, mask: mask)
        #expect(segments.map(\.area).sorted() == [4, 4])
        #expect(segments.allSatisfy { $0.peakValue == 3 })
    }
}
