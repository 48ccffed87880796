import Foundation
import Testing
@testable import Imaging
@testable import Extraction

/// Parameters travel through configuration files.
@Suite struct ParametersTests {
    @Test func defaultsAreThePipelines() {
        let p = ExtractionParameters()
        #expect(p.threshold == 5 && p.minimumArea == 3 && p.detectNegatives && p.stampSize == 63)
        #expect(p.rejectedMaskBits == [.noData, .edge, .nearDefect, .saturated, .trail] && p.rejectZeroedPixels)
        #expect(p.oddStampSize == 63)
    }

    @Test func roundTripsThroughJSON() throws {
        var p = ExtractionParameters()
        p.threshold = 4.5
        p.rejectedMaskBits = [.noData, .interpolated]
        p.brightStarFlux = 2e5
        p.brightStarMagnitude = nil
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(ExtractionParameters.self, from: data) == p)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"noData\"") && text.contains("\"interpolated\""))
    }

    @Test func missingKeysKeepTheirDefaults() throws {
        let json = #"{"threshold": 6, "stampSize": 32, "brightStarMagnitude": null}"#
        let p = try JSONDecoder().decode(ExtractionParameters.self, from: Data(json.utf8))
        var expected = ExtractionParameters()
        expected.threshold = 6
        expected.stampSize = 32
        expected.brightStarMagnitude = nil
        #expect(p == expected)
        #expect(p.oddStampSize == 33)
    }

    @Test func unknownMaskBitsAreRefused() {
        let json = #"{"rejectedMaskBits": ["edge", "sparkly"]}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ExtractionParameters.self, from: Data(json.utf8))
        }
    }
}
