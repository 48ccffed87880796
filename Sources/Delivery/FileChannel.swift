import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why a line could not be appended. The description names the file.
public struct JSONLinesError: Error, CustomStringConvertible, Sendable {
    /// The file that was being written.
    public let path: String
    /// What went wrong.
    public let reason: String

    /// "<path>: <reason>".
    public var description: String { "\(path): \(reason)" }
}

/// A file of JSON objects, one per line (JSON Lines), that only grows.
///
/// Each append opens the file with O_APPEND, writes the whole line in a
/// single write(2) and closes it. One write per line means concurrent
/// writers, in this process or others, never interleave within a line:
/// with O_APPEND, Linux places each write on a regular local file at the
/// current end in one piece. Opening per append costs a few microseconds,
/// nothing at alert rates, and means a rotated or deleted file is simply
/// created again; no descriptor is held, so the class is trivially Sendable.
public final class JSONLinesFile: Sendable {
    /// The file's path, as given.
    public let path: String
    /// Whether each append calls fsync(2) before returning, so the line
    /// survives a power loss; slower (a disk flush per line).
    public let sync: Bool

    /// A file at `path`; nothing is created until the first append.
    /// - Parameters:
    ///   - path: the file; missing parent directories are created on append.
    ///   - sync: fsync after every line (default false).
    public init(path: String, sync: Bool = false) {
        self.path = path
        self.sync = sync
    }

    /// Appends `value` encoded as one line of compact JSON with sorted keys.
    ///
    /// - Parameter value: must encode as a JSON object (a struct, a class or a dictionary).
    /// - Throws: `JSONLinesError` when it cannot be encoded or written.
    public func append(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw JSONLinesError(path: path, reason: "cannot encode \(type(of: value)): \(error)")
        }
        try append(jsonObject: data)
    }

    /// Appends an already encoded JSON object as one line.
    ///
    /// - Parameter data: one JSON object, without line breaks (compact
    ///   encoders escape those inside strings); a trailing newline is added.
    /// - Throws: `JSONLinesError` when `data` is not a one-line JSON object or
    ///   the write fails, and when only part of the line could be written
    ///   (a full disk): the file then ends in a partial line.
    public func append(jsonObject data: Data) throws {
        guard !data.contains(10), !data.contains(13) else {
            throw JSONLinesError(path: path, reason: "a JSON line cannot contain a line break")
        }
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw JSONLinesError(path: path, reason: "not a JSON object")
        }
        var line = data
        line.append(10)
        try write(line)
    }

    /// Opens (creating the file and its directories as needed), writes the
    /// line in one call, optionally syncs, and closes.
    private func write(_ line: Data) throws {
        try makeParentDirectory()
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot open") }
        defer { close(fd) }
        var written = -1
        repeat {
            written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        guard written >= 0 else { throw failure("cannot write") }
        guard written == line.count else {
            throw JSONLinesError(path: path, reason: "short write: \(written) of \(line.count) bytes")
        }
        if sync, fsync(fd) != 0 { throw failure("cannot fsync") }
    }

    private func makeParentDirectory() throws {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw JSONLinesError(path: path, reason: "cannot create directory \(parent): \(error.localizedDescription)")
        }
    }

    /// An error for the failed call `what`, with errno's text.
    private func failure(_ what: String) -> JSONLinesError {
        JSONLinesError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
