#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reports progress on stderr: a redrawn bar with the count and an ETA when
/// stderr is a terminal, otherwise one plain line per item (for logs and CI).
final class ProgressReporter {
    private let label: String
    private let interactive: Bool
    private var totalSeconds = 0.0
    private var drewBar = false

    init(label: String) {
        self.label = label
        interactive = isatty(STDERR_FILENO) == 1
    }

    /// Records that `done` of `total` items are finished, the last being
    /// `item`, which took `seconds`.
    func update(done: Int, total: Int, item: String, seconds: Double) {
        totalSeconds += seconds
        let remaining = totalSeconds / Double(max(done, 1)) * Double(total - done)
        if interactive {
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            emit("\r\(label) [\(bar)] \(done)/\(total) images  ETA \(Self.clock(remaining))  \(item)\u{1B}[K")
            drewBar = true
        } else {
            emit("\(label): \(done)/\(total) \(item) (\(Self.fixed(seconds)) s, ETA \(Self.clock(remaining)))\n")
        }
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        if drewBar { emit("\n") }
        drewBar = false
    }

    private func emit(_ text: String) {
        // Straight to the descriptor: unbuffered, and no shared C FILE state.
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
        return "\(m):\(ss)"
    }

    private static func fixed(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
