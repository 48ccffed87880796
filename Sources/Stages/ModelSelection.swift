import Configuration
import Foundation

/// The `models:` section: registry models to use instead of the active
/// ones. Empty (the default) means the active model of each kind. A replay
/// reprocesses a night with a new model without activating it for the live
/// pipeline: `nocturne replay NIGHT --set models.embedding=ID`.
public struct ModelSelection: ConfigSection, Equatable {
    /// The embedding map (`models.kind` embedding), used by the embed and
    /// score stages; nil for the active one.
    public var embedding: UUID?
    /// The real/bogus classifier; nil for the active one.
    public var realBogus: UUID?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case embedding, realBogus = "real_bogus"
    }

    public init(embedding: UUID? = nil, realBogus: UUID? = nil) {
        self.embedding = embedding
        self.realBogus = realBogus
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func id(_ key: CodingKeys) throws -> UUID? {
            let text = try c.decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !text.isEmpty else { return nil }
            guard let id = UUID(uuidString: text) else {
                throw ConfigurationError(key: key.rawValue, problem: "not a model id (see nocturne model list): '\(text)'")
            }
            return id
        }
        embedding = try id(.embedding)
        realBogus = try id(.realBogus)
    }
}
