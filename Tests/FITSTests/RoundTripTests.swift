import FITS
import Foundation
import Testing

/// Write → read round trips on synthetic images; no shared data needed.
@Suite struct RoundTripTests {
    static let width = 37
    static let height = 23

    static let cards: [FITSKeyValue] = [
        FITSKeyValue("OBJECT", .string("M 13 field 'A'"), comment: "target name"),
        FITSKeyValue("exptime", .double(60.0), comment: "exposure [s]"),
        FITSKeyValue("GAIN", .double(0.1), comment: "e-/ADU"),
        FITSKeyValue("TINY", .double(1.25e-5)),
        FITSKeyValue("HUGE", .double(-6.02214076e23)),
        FITSKeyValue("MJD-OBS", .double(59091.900684027777)),
        FITSKeyValue("RUNNUM", .int(-42)),
        FITSKeyValue("BIGINT", .int(9_007_199_254_740_993)),
        FITSKeyValue("SATURATE", .bool(false)),
        FITSKeyValue("CALIB", .bool(true)),
        FITSKeyValue("NOTES", .string(String(repeating: "long string, ", count: 12) + "end")),
    ]

    static func checkCards(_ header: FITSHeader) throws {
        #expect(header.string("OBJECT") == "M 13 field 'A'")
        #expect(header.card("OBJECT")?.comment == "target name")
        #expect(header.double("EXPTIME") == 60.0)
        #expect(header.card("EXPTIME")?.valueText == "60.0")
        #expect(header.double("GAIN") == 0.1)
        #expect(header.double("TINY") == 1.25e-5)
        #expect(header.double("HUGE") == -6.02214076e23)
        #expect(header.double("MJD-OBS") == 59091.900684027777)
        #expect(header.int("RUNNUM") == -42)
        #expect(header.int("BIGINT") == 9_007_199_254_740_993)
        #expect(header.bool("SATURATE") == false)
        #expect(try header.requireBool("CALIB"))
        #expect(header.string("NOTES") == String(repeating: "long string, ", count: 12) + "end")
    }

    static func pattern<T>(_ make: (Int) -> T) -> Image<T> {
        Image(width: width, height: height, pixels: (0..<(width * height)).map(make))
    }

    static let int16Image = pattern { i in Int16(truncatingIfNeeded: i * 977 - 30_000) }
    static let int32Image = pattern { i in Int32(truncatingIfNeeded: i &* 2_654_435_761) }
    /// Values a float writer can get wrong: NaNs with payloads, signed zero,
    /// subnormals, infinities and the extremes.
    static let specialFloats: [Float] = [
        .nan, Float(bitPattern: 0x7FC0_1234), Float(bitPattern: 0xFFC0_0001), -0.0, 0,
        .leastNonzeroMagnitude, -.leastNormalMagnitude / 3, .infinity, -.infinity,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi,
    ]
    static let floatImage = pattern { i in i < specialFloats.count ? specialFloats[i] : Float(i) * 0.731 - 99.5 }
    static let doubleImage = pattern { i in
        i < specialFloats.count ? Double(specialFloats[i]) : Double(i) * 1.0e-3 + 1.0 / 3.0
    }

    @Test func int16RoundTrip() throws {
        let image = Self.int16Image.map { $0 }
        var withExtremes = image
        withExtremes.pixels[0] = .min
        withExtremes.pixels[1] = .max
        try expectRoundTrip(withExtremes)
    }

    @Test func int32RoundTrip() throws {
        var image = Self.int32Image
        image.pixels[0] = .min
        image.pixels[1] = .max
        try expectRoundTrip(image)
    }

    @Test func float32RoundTripIsBitExact() throws {
        let back = try expectRoundTrip(Self.floatImage, compare: false)
        #expect(back.pixels.map(\.bitPattern) == Self.floatImage.pixels.map(\.bitPattern))
    }

    @Test func float64RoundTripIsBitExact() throws {
        var image = Self.doubleImage
        image.pixels[3] = Double(bitPattern: 0x7FF8_0000_DEAD_BEEF)
        image.pixels[5] = Double.leastNonzeroMagnitude
        let back = try expectRoundTrip(image, compare: false)
        #expect(back.pixels.map(\.bitPattern) == image.pixels.map(\.bitPattern))
    }

    /// Writes `image` with the test cards, reads it back, checks the header and
    /// the HDU description, and (when `compare`) that the pixels are equal.
    @discardableResult
    private func expectRoundTrip<T: FITSPixel & Equatable>(_ image: Image<T>, compare: Bool = true) throws -> Image<T> {
        let scratch = try ScratchDirectory()
        let path = scratch.path("roundtrip-\(T.self).fits")
        try FITSFile.write(image, to: path, header: Self.cards)
        let file = try FITSFile(path: path)
        let info = try file.imageInfo()
        #expect(info.bitpix == T.fitsPixelType && info.equivalentType == T.fitsPixelType)
        #expect(info.axes == [Self.width, Self.height] && !info.isTileCompressed)
        let back = try file.readImage(as: T.self)
        if compare { #expect(back == image) }
        #expect(back.width == image.width && back.height == image.height)
        try Self.checkCards(file.header())
        return back
    }

    @Test(arguments: FITSCompression.Algorithm.allCases)
    func compressedIntegerImagesAreLossless(algorithm: FITSCompression.Algorithm) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("compressed-\(algorithm).fits")
        // PLIO holds only values in 0 ..< 2^24.
        let image = Self.pattern { i in Int16(i % 3000) }
        try FITSFile.write(image, to: path, header: Self.cards, compression: FITSCompression(algorithm))
        let file = try FITSFile(path: path)
        let hdus = try file.hdus()
        #expect(hdus.count == 2 && hdus[0].image?.axes == [])
        #expect(hdus[1].image?.isTileCompressed == true)
        #expect(try file.readImage(as: Int16.self) == image)
        try Self.checkCards(file.header())
    }

    @Test func compressedInt32WithTiles() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("int32-rice.fits")
        let tile = FITSCompression.Tile(width: 8, height: 8)
        try FITSFile.write(Self.int32Image, to: path, compression: FITSCompression(.rice, tile: tile))
        let file = try FITSFile(path: path)
        #expect(try file.readImage(as: Int32.self) == Self.int32Image)
        #expect(try file.header(hdu: 1).int("ZTILE1") == nil)  // converted header hides table keys
    }

    @Test func losslessFloatCompressionIsBitExact() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("float-gzip.fits")
        try FITSFile.write(Self.floatImage, to: path, compression: .losslessFloat)
        let back = try FITSFile(path: path).readImage(as: Float.self)
        #expect(back.pixels.map(\.bitPattern) == Self.floatImage.pixels.map(\.bitPattern))
    }

    @Test(arguments: [FITSCompression.Algorithm.rice, .gzip, .hcompress])
    func quantizedFloatCompressionKeepsNaNPlaces(algorithm: FITSCompression.Algorithm) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("float-\(algorithm).fits")
        var generator = SplitMix(seed: 7)
        var image = Self.pattern { _ in Float(1000 + generator.nextUnit() * 50) }
        let nanPlaces = [5, 77, 400, Self.width * Self.height - 1]
        for place in nanPlaces { image.pixels[place] = .nan }
        try FITSFile.write(image, to: path, compression: FITSCompression(algorithm, floatQuantization: .level(16)))
        let back = try FITSFile(path: path).readImage(as: Float.self)
        #expect(back.pixels.indices.filter { back.pixels[$0].isNaN } == nanPlaces)
        let worst = zip(back.pixels, image.pixels).filter { !$1.isNaN }.map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 5, "quantization error \(worst) is larger than the noise allows")
    }

    @Test func secondImageGoesToAnExtensionWithoutCompression() throws {
        let scratch = try ScratchDirectory()
        let file = try FITSFile.create(path: scratch.path("two.fits"))
        #expect(try file.writeImage(Self.int16Image, compression: .rice) == 1)
        #expect(try file.writeImage(Self.floatImage, header: [FITSKeyValue("EXTNAME", .string("SCI"))]) == 2)
        try file.close()
        let reopened = try FITSFile(path: scratch.path("two.fits"))
        let hdus = try reopened.hdus()
        #expect(hdus.map { $0.image?.isTileCompressed } == [false, true, false])
        #expect(try reopened.readImage(as: Int16.self) == Self.int16Image)
        let second = try reopened.readImage(as: Float.self, hdu: 2)
        #expect(second.pixels.map(\.bitPattern) == Self.floatImage.pixels.map(\.bitPattern))
        #expect(try reopened.header(hdu: 2).string("EXTNAME") == "SCI")
    }

    @Test func pathsAreTakenLiterally() throws {
        let scratch = try ScratchDirectory()
        // CFITSIO's extended syntax would read "[1]" as an HDU selector.
        let path = scratch.path("frame[1] (copy).fits")
        try FITSFile.write(Self.int32Image, to: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try FITSFile(path: path).readImage(as: Int32.self) == Self.int32Image)
    }

    @Test func integerBlanksReadAsNaNOrMinimumAndScalingIsApplied() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("blank.fits")
        // 3 x 2 int16 with BSCALE 0.5, BZERO 100 and BLANK -32768 in the third pixel.
        let raw: [Int16] = [0, 2, .min, -4, 7, 32767]
        let data = raw.flatMap { value in withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        let cards = [fixedCard("SIMPLE", "T"), fixedCard("BITPIX", "16"), fixedCard("NAXIS", "2"),
                     fixedCard("NAXIS1", "3"), fixedCard("NAXIS2", "2"), fixedCard("BSCALE", "0.5"),
                     fixedCard("BZERO", "100.0"), fixedCard("BLANK", "-32768")]
        try handMadeFITS(cards: cards, data: data).write(to: URL(fileURLWithPath: path))
        let file = try FITSFile(path: path)
        #expect(try file.imageInfo().equivalentType == .float32)
        let floats = try file.readImage(as: Float.self)
        #expect(floats.pixels[2].isNaN)
        #expect(floats.pixels.filter { !$0.isNaN } == [100, 101, 98, 103.5, 16483.5])
        let doubles = try file.readImage(as: Double.self)
        #expect(doubles.pixels[2].isNaN && doubles.pixels[5] == 16483.5)
        let ints = try file.readImage(as: Int32.self)
        #expect(ints.pixels[2] == Int32.min && ints.pixels[0] == 100 && ints.pixels[3] == 98)
    }
}

/// A small deterministic generator so tests do not depend on the system RNG.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A value in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
