import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's stderr: messages (one line each, kept) and the status
/// line. On a terminal the status line is redrawn in place with `\r`, and a
/// message clears it first and redraws it after, so the two never tangle;
/// elsewhere (logs, CI) each status is a plain line of its own.
public final class Console: Sendable {
    /// Whether stderr is a terminal (status redrawn in place).
    public let interactive: Bool
    private let sink: @Sendable (String) -> Void
    /// The status line on screen, if any (terminal only).
    private let shown = Mutex<String?>(nil)

    /// A console writing to stderr, interactive when stderr is a terminal.
    public convenience init() {
        self.init(interactive: isatty(STDERR_FILENO) == 1, sink: Console.writeStandardError)
    }

    /// A console writing through `sink` (tests capture with it).
    public init(interactive: Bool, sink: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.sink = sink
    }

    /// Writes one message line.
    public func message(_ text: String) {
        shown.withLock { shown in
            if interactive, let line = shown {
                sink("\r\u{1B}[K\(text)\n\(line)")
            } else {
                sink(text + "\n")
            }
        }
    }

    /// Shows `text` as the status line.
    public func status(_ text: String) {
        shown.withLock { shown in
            if interactive {
                sink("\r\(text)\u{1B}[K")
                shown = text
            } else {
                sink(text + "\n")
            }
        }
    }

    /// Ends the status line so later output starts on a fresh line.
    public func finishStatus() {
        shown.withLock { shown in
            if shown != nil { sink("\n") }
            shown = nil
        }
    }

    /// Writes straight to the descriptor: unbuffered, and no shared C FILE state.
    @Sendable static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
