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
    /// Seconds a file's size must stay unchanged before it is read: a file
    /// still being written is left alone. 0 reads at once.
    public var settleSeconds: Double = 2
    /// Where bad files go, with a `.reason` file beside each; relative paths
    /// are inside the watched folder.
    public var quarantine: String = "quarantine"
    /// What a field with no reference does: `first_exposure` makes the first
    /// science exposure ingested for it (in DATE-OBS order) its reference;
    /// `require` leaves its exposures to fail until a reference is ingested.
    public var referencePolicy: ReferencePolicy = .firstExposure

    /// How a field without a reference gets one.
    public enum ReferencePolicy: String, Codable, Sendable {
        case firstExposure = "first_exposure"
        case require
    }

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case survey, role, requiredKeys = "required_keys", settleSeconds = "settle_seconds", quarantine
        case referencePolicy = "reference_policy"
    }

    public init(from decoder: Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = IngestSettings()
        survey = try c.decodeIfPresent(String.self, forKey: .survey) ?? defaults.survey
        role = try c.decodeIfPresent(ObservationRole.self, forKey: .role) ?? defaults.role
        requiredKeys = try c.decodeIfPresent([String].self, forKey: .requiredKeys) ?? defaults.requiredKeys
        settleSeconds = try c.decodeIfPresent(Double.self, forKey: .settleSeconds) ?? defaults.settleSeconds
        quarantine = try c.decodeIfPresent(String.self, forKey: .quarantine) ?? defaults.quarantine
        referencePolicy = try c.decodeIfPresent(ReferencePolicy.self, forKey: .referencePolicy) ?? defaults.referencePolicy
    }

    public func validate() throws {
        try require(!survey.trimmingCharacters(in: .whitespaces).isEmpty, key: "survey", "must not be empty")
        try require(settleSeconds >= 0 && settleSeconds <= 3_600, key: "settle_seconds", "must be 0–3600 s, got \(settleSeconds)")
        try require(!quarantine.isEmpty, key: "quarantine", "must name a folder")
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
