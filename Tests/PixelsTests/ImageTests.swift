import Testing
@testable import Pixels

@Suite struct ImageTests {
    @Test func subscriptIsRowMajor() {
        var image = Image<Float>(width: 3, height: 2, repeating: 0)
        image[2, 1] = 7
        #expect(image.pixels[1 * 3 + 2] == 7)
        #expect(image[2, 1] == 7)
        #expect(image.contains(x: 2, y: 1))
        #expect(!image.contains(x: 3, y: 0))
        #expect(!image.contains(x: 0, y: -1))
    }

    @Test func fitsAndArrayCoordinatesAreOneApart() {
        let fits = PixelPoint(x: 1, y: 1)
        #expect(fitsToArray(fits) == PixelPoint(x: 0, y: 0))
        #expect(arrayToFITS(fitsToArray(PixelPoint(x: 515.5, y: 77.25))) == PixelPoint(x: 515.5, y: 77.25))
    }

    @Test func mapKeepsShape() {
        let image = Image<Int16>(width: 4, height: 5, repeating: 3)
        let floats = image.map { Float($0) * 0.5 }
        #expect(floats.width == 4 && floats.height == 5)
        #expect(floats.pixels.allSatisfy { $0 == 1.5 })
    }
}
