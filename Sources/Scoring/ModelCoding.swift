import Foundation

/// How model artifacts are written: JSON with sorted keys, so that the same
/// model always gives the same bytes (and the same `artifact_sha256`), and
/// two fits can be compared byte for byte.
public enum ModelCoding {
    /// The encoding of `model`.
    public static func encode<T: Encodable>(_ model: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(model)
    }
}
