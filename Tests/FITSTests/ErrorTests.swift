import FITS
import Foundation
import Testing
import TestSupport

/// Bad input: every error has the right code and a message naming the file.
@Suite struct ErrorTests {
    /// Runs `body`, expects a ``FITSError`` with `code`, and checks its message names `file`.
    @discardableResult
    private func expectError(_ code: FITSError.Code, naming file: String,
                             sourceLocation: SourceLocation = #_sourceLocation,
                             _ body: () throws -> Void) -> FITSError? {
        do {
            try body()
            Issue.record("expected FITSError.\(code), got success", sourceLocation: sourceLocation)
            return nil
        } catch let error as FITSError {
            #expect(error.code == code, "\(error.debugDescription)", sourceLocation: sourceLocation)
            #expect(error.file == file, sourceLocation: sourceLocation)
            #expect(error.description.contains(file), "\(error)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected FITSError.\(code), got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.missingMessage)),
          arguments: ["m13.fits", "m13_rice.fits"])
    func truncatedFileIsReportedWhenReadingPixels(name: String) throws {
        let scratch = try ScratchDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: m13(name)))
        let path = scratch.path("half-\(name)")
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let file = try FITSFile(path: path)
        let error = expectError(.truncated, naming: path) { _ = try file.readImage(as: Float.self) }
        #expect(error?.description.contains("truncated") == true)
        // 108 (READ_ERROR) when a plain image's data stop short, 107 (END_OF_FILE)
        // when a compressed table's heap does.
        let status = try #require(error?.cfitsioStatus)
        #expect([107, 108].contains(status))
        #expect(error?.debugDescription.contains("CFITSIO status \(status)") == true)
        #expect(error?.cfitsioMessages.isEmpty == false)
    }

    @Test func fileCutInsideTheFirstCardIsTruncated() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("cut.fits")
        try Data("SIMPLE".utf8).write(to: URL(fileURLWithPath: path))
        expectError(.truncated, naming: path) { _ = try FITSFile(path: path) }
        let header = scratch.path("header-only-cut.fits")
        try handMadeFITS(cards: [fixedCard("SIMPLE", "T")]).prefix(1000).write(to: URL(fileURLWithPath: header))
        expectError(.truncated, naming: header) { _ = try FITSFile(path: header) }
    }

    @Test func textFileIsNotFITS() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("notes.txt")
        try Data(String(repeating: "this is not a FITS file\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let error = expectError(.notFITS, naming: path) { _ = try FITSFile(path: path) }
        #expect(error?.description.contains("not a FITS file") == true)
        let empty = scratch.path("empty.fits")
        try Data().write(to: URL(fileURLWithPath: empty))
        expectError(.notFITS, naming: empty) { _ = try FITSFile(path: empty) }
        expectError(.notFITS, naming: "upload-17") { _ = try FITSFile(data: Data("hello".utf8), name: "upload-17") }
        expectError(.notFITS, naming: scratch.url.path) { _ = try FITSFile(path: scratch.url.path) }
    }

    @Test func missingFile() {
        let path = "/nonexistent/nocturne/frame-0001.fits"
        let error = expectError(.fileNotFound, naming: path) { _ = try FITSFile(path: path) }
        #expect(error?.description == "\(path): no such file")
    }

    @Test func missingAndMistypedKeysNameTheKeyAndFile() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("keys.fits")
        try FITSFile.write(Image<Int16>(width: 4, height: 3, repeating: 1), to: path,
                           header: [FITSKeyValue("FILTER", .string("r")), FITSKeyValue("AIRMASS", .double(1.3))])
        let header = try FITSFile(path: path).header()
        #expect(header.double("EXPTIME") == nil)
        let missing = expectError(.missingKey, naming: path) { _ = try header.requireDouble("exptime") }
        #expect(missing?.key == "EXPTIME")
        #expect(missing?.description.contains("EXPTIME") == true)
        let mistyped = expectError(.invalidKeyValue, naming: path) { _ = try header.requireDouble("FILTER") }
        #expect(mistyped?.description.contains("FILTER") == true)
        expectError(.invalidKeyValue, naming: path) { _ = try header.requireString("AIRMASS") }
        #expect(try header.requireDouble("AIRMASS") == 1.3)
        #expect(try header.requireString("FILTER") == "r")
        #expect(try header.requireInt("NAXIS1") == 4)
    }

    @Test func allNaNImageFailsValidation() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("all-nan.fits")
        try FITSFile.write(Image<Float>(width: 8, height: 5, repeating: .nan), to: path)
        let file = try FITSFile(path: path)
        let image = try file.readImage(as: Float.self)
        #expect(image.blankCount == 40)
        let error = expectError(.allBlank, naming: path) { try image.validateNotBlank(file: file.name) }
        #expect(error?.description.contains("NaN") == true)
        let asInts = try file.readImage(as: Int16.self)
        expectError(.allBlank, naming: path) { try asInts.validateNotBlank(file: file.name) }
        var oneGood = image
        oneGood[7, 4] = 3
        try oneGood.validateNotBlank(file: path)
    }

    @Test func headerOnlyFileHasNoImage() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("header-only.fits")
        let cards = [fixedCard("SIMPLE", "T"), fixedCard("BITPIX", "8"), fixedCard("NAXIS", "0")]
        try handMadeFITS(cards: cards).write(to: URL(fileURLWithPath: path))
        let file = try FITSFile(path: path)
        expectError(.noImageHDU, naming: path) { _ = try file.readImage(as: Float.self) }
        expectError(.noImageHDU, naming: path) { _ = try file.readImage(as: Float.self, hdu: 0) }
        #expect(try file.header(hdu: 0).int("NAXIS") == 0)
    }

    @Test func cubeIsTheWrongDimensionality() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("cube.fits")
        let cards = [fixedCard("SIMPLE", "T"), fixedCard("BITPIX", "8"), fixedCard("NAXIS", "3"),
                     fixedCard("NAXIS1", "2"), fixedCard("NAXIS2", "2"), fixedCard("NAXIS3", "2")]
        try handMadeFITS(cards: cards, data: Array(1...8)).write(to: URL(fileURLWithPath: path))
        let file = try FITSFile(path: path)
        #expect(try file.hdus().first?.image?.axes == [2, 2, 2])
        let error = expectError(.wrongDimensionality, naming: path) { _ = try file.readImage(as: Float.self) }
        #expect(error?.description.contains("3-D") == true)
    }

    @Test func writingRefusesStructuralKeysAndExistingFiles() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("out.fits")
        let image = Image<Float>(width: 2, height: 2, repeating: 1)
        for card in [FITSKeyValue("BITPIX", .int(8)), FITSKeyValue("NAXIS2", .int(1)), FITSKeyValue("BZERO", .double(1)),
                     FITSKeyValue("BAD KEY", .int(1)), FITSKeyValue("TOOLONGKEY", .int(1)),
                     FITSKeyValue("SKY", .double(.nan)), FITSKeyValue("NOTE", .string("caf\u{e9}"))] {
            let file = try FITSFile.create(path: path, overwrite: true)
            let error = expectError(.invalidHeaderCard, naming: path) { try file.writeImage(image, header: [card]) }
            #expect(error?.key == card.keyword.uppercased())
        }
        try FITSFile.write(image, to: path, overwrite: true)
        expectError(.fileExists, naming: path) { try FITSFile.write(image, to: path) }
        try FITSFile.write(image, to: path, overwrite: true)
    }

    @Test func cfitsioRefusalsAreReported() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("rice-lossless.fits")
        let file = try FITSFile.create(path: path)
        let floats = Image<Float>(width: 16, height: 16, repeating: 2.5)
        let error = expectError(.cfitsio, naming: path) {
            try file.writeImage(floats, compression: FITSCompression(.rice, floatQuantization: .lossless))
        }
        #expect(error?.cfitsioStatus != nil)
        #expect(error?.cfitsioMessages.contains { $0.contains("GZIP") } == true)
    }

    @Test func closedFileRefusesWork() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("closed.fits")
        try FITSFile.write(Image<Int32>(width: 3, height: 3, repeating: 9), to: path)
        let file = try FITSFile(path: path)
        try file.close()
        try file.close()
        expectError(.fileClosed, naming: path) { _ = try file.readImage(as: Int32.self) }
    }

    @Test func libraryFacts() {
        #expect(FITSFile.isCFITSIOReentrant)
        #expect(FITSFile.cfitsioVersion.hasPrefix("4."))
    }
}
