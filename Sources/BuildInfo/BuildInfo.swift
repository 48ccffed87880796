/// What every executable reports about the code it runs, and what `runs`
/// records as `code_version`.
public enum BuildInfo {
    /// The release version of Nocturne (semantic versioning).
    public static let version = "0.1.0"

    /// The version plus the git commit it was built from when the environment
    /// provides one (`NOCTURNE_GIT_COMMIT`, set by `scripts/` at build time),
    /// so that a replay can say exactly which code produced it.
    public static var codeVersion: String {
        if let commit = environment("NOCTURNE_GIT_COMMIT"), !commit.isEmpty {
            return "\(version)+\(commit.prefix(12))"
        }
        return version
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
