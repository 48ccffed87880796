import Foundation
import Testing
@testable import Configuration

/// A section shaped like the stages' own: documented defaults, unknown keys
/// refused, ranges validated.
private struct SampleSection: ConfigSection, Equatable {
    var threshold: Double = 5
    var minArea: Int = 5
    var label: String = "default"
    var nested = Nested()

    struct Nested: ConfigSection, Equatable {
        var enabled = false
        enum CodingKeys: String, CodingKey, CaseIterable { case enabled }
        init() {}
        init(from decoder: Decoder) throws {
            try decoder.refuseUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? false
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case threshold, minArea = "min_area", label, nested
    }

    init() {}
    init(from decoder: Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SampleSection()
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        minArea = try c.decodeIfPresent(Int.self, forKey: .minArea) ?? defaults.minArea
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? defaults.label
        nested = try c.decodeIfPresent(Nested.self, forKey: .nested) ?? defaults.nested
    }

    func validate() throws {
        try require(threshold > 0, key: "threshold", "must be > 0, got \(threshold)")
    }
}

@Suite struct ConfigDocumentTests {
    @Test func missingSectionTakesDefaults() throws {
        let document = ConfigDocument()
        #expect(try document.section(SampleSection.self, at: "extract") == SampleSection())
    }

    @Test func overlaysChangeOnlyWhatTheyName() throws {
        var document = ConfigDocument()
        try document.overlay(yaml: "extract:\n  threshold: 4\n  label: base\n", source: "base.yaml")
        try document.overlay(yaml: "extract:\n  min_area: 9\n  nested:\n    enabled: true\n", source: "overlay.yaml")
        try document.set("extract.label", to: "cli")
        let section = try document.section(SampleSection.self, at: "extract")
        #expect(section.threshold == 4)
        #expect(section.minArea == 9)
        #expect(section.label == "cli")
        #expect(section.nested.enabled)
        #expect(document.sources == ["base.yaml", "overlay.yaml", "--set extract.label=cli"])
    }

    @Test func unknownKeyIsNamedWithItsPath() throws {
        var document = ConfigDocument()
        try document.overlay(yaml: "extract:\n  nested:\n    enabeld: true\n", source: "typo.yaml")
        let error = try #require(throws: ConfigurationError.self) {
            try document.section(SampleSection.self, at: "extract")
        }
        #expect(error.key == "extract.nested.enabeld")
        #expect(error.description.contains("typo.yaml"))
        #expect(error.description.contains("unknown key"))
    }

    @Test func wrongTypeIsNamed() throws {
        var document = ConfigDocument()
        try document.overlay(yaml: "extract:\n  threshold: high\n", source: "bad.yaml")
        let error = try #require(throws: ConfigurationError.self) {
            try document.section(SampleSection.self, at: "extract")
        }
        #expect(error.key == "extract.threshold")
        #expect(error.problem.contains("a number"))
    }

    @Test func validationFailureIsNamed() throws {
        var document = ConfigDocument()
        try document.set("extract.threshold", to: "-1")
        let error = try #require(throws: ConfigurationError.self) {
            try document.section(SampleSection.self, at: "extract")
        }
        #expect(error.key == "extract.threshold")
        #expect(error.problem.contains("must be > 0"))
    }

    @Test func invalidYAMLNamesTheSource() throws {
        var document = ConfigDocument()
        let error = try #require(throws: ConfigurationError.self) {
            try document.overlay(yaml: "extract: [unclosed\n", source: "broken.yaml")
        }
        #expect(error.problem.contains("broken.yaml"))
    }
}
