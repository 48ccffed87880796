import Configuration

/// The `ingest:` section of the configuration: how files become
/// observations. See `config/nocturne.yaml` for the defaults.
public struct IngestSettings: ConfigSection, Equatable {
    /// Survey name; `auto` names it from the header's TELESCOP and INSTRUME.
    public var survey: String = "auto"
    /// Role given to ingested files.
    public var role: ObservationRole = .science
    /// Header keys an observation cannot do without; DATE-OBS and EXPTIME are
    /// always required whatever this says.
    public var requiredKeys: [String] = ["DATE-OBS", "EXPTIME"]

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case survey, role, requiredKeys = "required_keys"
    }

    public init(from decoder: Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = IngestSettings()
        survey = try c.decodeIfPresent(String.self, forKey: .survey) ?? defaults.survey
        role = try c.decodeIfPresent(ObservationRole.self, forKey: .role) ?? defaults.role
        requiredKeys = try c.decodeIfPresent([String].self, forKey: .requiredKeys) ?? defaults.requiredKeys
    }

    public func validate() throws {
        try require(!survey.trimmingCharacters(in: .whitespaces).isEmpty, key: "survey", "must not be empty")
        for key in requiredKeys {
            try require(!key.isEmpty && key.count <= 8 && key == key.uppercased(), key: "required_keys",
                        "'\(key)' is not a FITS keyword (1–8 upper-case characters)")
        }
    }
}

/// Whether an observation is a science exposure or a reference for its field.
public enum ObservationRole: String, Codable, Sendable, CaseIterable {
    case science
    case reference
}

import Foundation
