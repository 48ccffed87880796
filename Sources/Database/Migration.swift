import Checksum
import Foundation

/// One numbered SQL file of the schema, e.g. `0002_preprocess_difference_candidates.sql`.
public struct Migration: Sendable, Hashable, CustomStringConvertible {
    /// The number before the first `_`; migrations apply in increasing order.
    public let version: Int
    /// The part after the number, without `.sql`.
    public let name: String
    /// The file's name, for messages.
    public let fileName: String
    /// Where the file was read from.
    public let url: URL
    /// The file's SQL text, run as one script inside the migration's transaction.
    public let sql: String
    /// SHA-256 of the file's bytes, 64 lower-case hex digits; recorded when
    /// applied so that later edits of an applied file are caught.
    public let checksum: String

    public var description: String { fileName }

    /// Reads a migration file whose name is `NNNN_name.sql` (at least one
    /// digit, then `_`, then letters, digits, `_`, `-` or `.`).
    /// - Throws: `.migrationFailed` naming the file if the name is malformed
    ///   or it cannot be read as UTF-8.
    public init(url: URL) throws {
        let fileName = url.lastPathComponent
        guard let (version, name) = Self.parse(fileName: fileName) else {
            throw DatabaseError(
                .migrationFailed,
                "migration file \(url.path) is not named NNNN_name.sql (a number, _, a name of letters, digits, _ or -)")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw DatabaseError(.migrationFailed, "cannot read migration file \(url.path): \(error)")
        }
        guard let sql = String(data: bytes, encoding: .utf8) else {
            throw DatabaseError(.migrationFailed, "migration file \(url.path) is not valid UTF-8")
        }
        self.version = version
        self.name = name
        self.fileName = fileName
        self.url = url
        self.sql = sql
        self.checksum = SHA256.hex([UInt8](bytes))
    }

    /// Splits `0003_models.sql` into (3, "models"); nil when malformed.
    static func parse(fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let version = Int(digits), !name.isEmpty,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return (version, String(name))
    }
}
