import Foundation

/// Fingerprints of files: size and SHA-256, read in 1 MiB chunks so a large
/// image never sits in memory twice.
public enum FileChecksum {
    /// A file's size in bytes and its SHA-256 as lower-case hex.
    public struct Fingerprint: Sendable, Equatable {
        public let size: Int
        public let sha256: String
    }

    /// The fingerprint of the file at `url`.
    /// - Throws: the file system's error when it cannot be read.
    public static func sha256(of url: URL) throws -> Fingerprint {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            size += chunk.count
            chunk.withUnsafeBytes { hash.update($0) }
        }
        return Fingerprint(size: size, sha256: hash.hexDigest())
    }
}
