import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why the supervisor cannot start or keep a pipeline running; the
/// description names the executable, folder or instance at fault.
public struct SupervisorError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    static func cannotStart(_ executable: String, _ what: String, _ code: Int32) -> SupervisorError {
        let reason = code == 0 ? "" : ": \(String(cString: strerror(code)))"
        return SupervisorError("\(executable): \(what)\(reason)")
    }
}
