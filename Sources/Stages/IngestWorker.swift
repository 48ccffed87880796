import Checksum
import Envelopes
import FITS
import Foundation
import Observations
import StageRuntime
import Store
import Synchronization

/// `nocturne-ingest`: watches a folder (and its subfolders) for FITS files,
/// registers each as an observation and sends its pixels on.
///
/// - A file is read once its size has held still for `settle_seconds` (a
///   file still being written is left alone); files whose names start with
///   `.` or end in `.tmp`/`.part` are ignored, so a writer that renames a
///   finished file into place is picked up at once.
/// - Ready files are taken in DATE-OBS order (the backlog on start, and any
///   burst), a few per poll so memory stays bounded.
/// - A bad file is moved to the quarantine folder with a `.reason` file
///   beside it, and `ingest_files` records why.
/// - The same bytes, or the same exposure, twice give one observation.
/// - References (IMAGETYP `reference`, or the first exposure of a field that
///   has none) keep their pixels in the database and do not flow down the
///   chain; science exposures get a progress row in the run and a message.
public final class IngestWorker: SourceWorker {
    public let name = "ingest"
    let settings: IngestSettings
    /// The watched folder; nil when only named files are ingested.
    let watch: URL?
    /// Files named on the command line: read at once, in DATE-OBS order.
    let files: [URL]
    let runID: UUID
    /// Files read per poll.
    let batch: Int
    private let state = Mutex(WatchState())

    /// A worker for run `runID` that watches `watch` (if given) and takes
    /// the named `files`; without a folder it is exhausted once every named
    /// file is taken.
    public init(settings: IngestSettings, watch: URL?, files: [URL] = [], runID: UUID, batch: Int = 3) {
        self.settings = settings
        self.watch = watch?.standardizedFileURL
        self.files = files.map(\.standardizedFileURL)
        self.runID = runID
        self.batch = batch
    }

    public var isExhausted: Bool {
        watch == nil && state.withLock { state in files.allSatisfy { state.done.contains($0.path) } }
    }

    /// Where a bad file goes: the configured folder, relative to the watched
    /// folder (or to the file's own folder for a named file).
    func quarantine(for file: URL?) -> URL {
        if settings.quarantine.hasPrefix("/") { return URL(fileURLWithPath: settings.quarantine, isDirectory: true) }
        let base = watch ?? file?.deletingLastPathComponent() ?? URL(fileURLWithPath: ".")
        return base.appendingPathComponent(settings.quarantine, isDirectory: true)
    }

    public func poll(context: WorkContext) throws -> [SourceResult] {
        let ready = try readyFiles()
        guard !ready.isEmpty else { return [] }
        // References first, so a field's exposures find theirs; then DATE-OBS.
        let ordered = ready.map { url -> (url: URL, rank: Int, date: Date?) in
            let (date, reference) = sortKey(url)
            return (url, reference ? 0 : 1, date)
        }.sorted { ($0.rank, $0.date ?? .distantPast, $0.url.path) < ($1.rank, $1.date ?? .distantPast, $1.url.path) }
        var results: [SourceResult] = []
        for item in ordered.prefix(batch) {
            do {
                results.append(try ingest(item.url, context: context))
            } catch where !results.isEmpty {
                // Commit what is in hand; this file is tried again next poll.
                context.logger.warning("\(item.url.path): \(error); trying it again at the next poll")
                break
            }
            state.withLock {
                $0.done.insert(item.url.path)
                $0.sortKeys[item.url.path] = nil
            }
        }
        return results
    }

    /// Files whose size has not changed for `settle_seconds`, not yet taken.
    func readyFiles() throws -> [URL] {
        let now = Date()
        let named = state.withLock { state in files.filter { !state.done.contains($0.path) } }
        guard let watch else { return named }
        let found = FITSScan.files(under: watch, skipping: quarantine(for: nil))
        return named + state.withLock { state in
            found.compactMap { url, size, modified in
                guard !state.done.contains(url.path) else { return nil }
                if let seen = state.seen[url.path], seen.size == size {
                    return now.timeIntervalSince(seen.since) >= settings.settleSeconds ? url : nil
                }
                // New or still growing. A file already old when first seen
                // (the backlog) has long been complete.
                let since = now.timeIntervalSince(modified) >= settings.settleSeconds ? modified : now
                let landed = state.seen[url.path]?.landed ?? now
                state.seen[url.path] = WatchState.Seen(size: size, since: since, landed: landed)
                return now.timeIntervalSince(since) >= settings.settleSeconds ? url : nil
            }
        }
    }

    /// Whether a reference for the field was read by this process.
    func referenceSeen(_ key: String) -> Bool { state.withLock { $0.referenceFields.contains(key) } }

    func markReferenceSeen(_ key: String) { _ = state.withLock { $0.referenceFields.insert(key) } }

    /// When the file was first seen: the `landed` timestamp of its message.
    func landedAt(_ url: URL) -> Date { state.withLock { $0.seen[url.path]?.landed } ?? Date() }

    /// The file's sort key, read from its header once: a backlog larger than
    /// a batch is sorted again at every poll.
    func sortKey(_ url: URL) -> (Date?, Bool) {
        if let known = state.withLock({ $0.sortKeys[url.path] }) { return known }
        let key = Self.sortKey(url)
        state.withLock { $0.sortKeys[url.path] = key }
        return key
    }

    /// DATE-OBS (nil when unreadable: such a file is quarantined when read)
    /// and whether the header calls itself a reference.
    static func sortKey(_ url: URL) -> (Date?, Bool) {
        guard let header = try? FITSFile(path: url.path).header() else { return (nil, false) }
        let reference = ["IMAGETYP", "OBSTYPE"].contains { header.string($0)?.lowercased() == "reference" }
        guard let text = header.string("DATE-OBS") else { return (nil, reference) }
        let time = header.string("TIME-OBS") ?? header.string("UT") ?? header.string("UTSTART")
        return (try? ObservationTime.dateObs(text, timeOfDay: time).get(), reference)
    }
}

/// What the watcher remembers between polls.
struct WatchState {
    struct Seen {
        var size: Int
        var since: Date
        var landed: Date
    }
    var seen: [String: Seen] = [:]
    var done: Set<String> = []
    /// survey|field|filter of references read, committed or about to be.
    var referenceFields: Set<String> = []
    /// DATE-OBS and reference flag of files waiting their turn.
    var sortKeys: [String: (Date?, Bool)] = [:]
}

/// Lists FITS files under a folder, recursively, skipping one folder and
/// files that are being written.
enum FITSScan {
    static let extensions = [".fits", ".fit", ".fts", ".fits.fz", ".fits.gz"]

    static func files(under root: URL, skipping skipped: URL) -> [(URL, Int, Date)] {
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey],
            options: [.skipsHiddenFiles]) else { return [] }
        var found: [(URL, Int, Date)] = []
        for case let url as URL in walker {
            let standardized = url.standardizedFileURL
            if standardized.path.hasPrefix(skipped.standardizedFileURL.path + "/") || standardized == skipped.standardizedFileURL {
                walker.skipDescendants()
                continue
            }
            let name = url.lastPathComponent.lowercased()
            guard extensions.contains(where: { name.hasSuffix($0) }), !name.hasSuffix(".tmp"), !name.hasSuffix(".part"),
                  let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                  values.isRegularFile == true else { continue }
            found.append((standardized, values.fileSize ?? 0, values.contentModificationDate ?? Date()))
        }
        return found
    }
}
