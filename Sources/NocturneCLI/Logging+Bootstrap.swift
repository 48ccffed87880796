import Foundation
import Logging

/// Logging for the command line: swift-log to stderr, at the level named by
/// `NOCTURNE_LOG_LEVEL` (trace … critical; default `warning` for commands,
/// so their own output stays readable).
enum CommandLogging {
    private static let once: Void = {
        let name = ProcessInfo.processInfo.environment["NOCTURNE_LOG_LEVEL"] ?? "warning"
        let level = Logger.Level(rawValue: name.lowercased()) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// A logger for `label`, bootstrapping the system on first use.
    static func logger(_ label: String) -> Logger {
        _ = once
        return Logger(label: label)
    }
}
