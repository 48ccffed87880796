import CFITSIO
import Foundation

/// An open FITS file: a file on disk, or bytes held in memory.
///
/// The instance owns CFITSIO's `fitsfile` handle and, for in-memory files,
/// the buffer CFITSIO reads from; both are released by ``close()`` or, at the
/// latest, when the instance is deinitialised. Call ``close()`` after writing:
/// CFITSIO flushes buffered data on close, and only ``close()`` can report a
/// failure to do so.
///
/// HDUs are numbered from 0 (the primary HDU) as in astropy, so extension `n`
/// has index `n`; CFITSIO's own HDU numbers are one higher. Reading and header
/// calls move CFITSIO's "current HDU"; pass `hdu: nil` to use the first HDU
/// that holds a 2-D image, which is extension 1 for a tile-compressed image
/// whose primary HDU is empty.
///
/// ## Thread safety
/// A `FITSFile` is not `Sendable` and must not be used from two threads at
/// once: CFITSIO keeps the current HDU and I/O buffers in the handle without
/// locking them. Separate `FITSFile` instances may be used on separate
/// threads. Debian's `libcfitsio10` is built reentrant (``isCFITSIOReentrant``
/// reports `fits_is_reentrant()`), but its error-message stack is still one
/// per process; so that every ``FITSError`` carries only its own call's
/// messages, this module runs each CFITSIO call under one process-wide lock.
/// CFITSIO work from different threads is therefore serialised, not
/// parallel; run stages as separate processes for parallel decoding. Do not
/// open the same path for writing twice.
public final class FITSFile {
    /// How a file on disk is opened.
    public enum Mode: Sendable, Hashable {
        /// Reading only; the file is never modified.
        case readOnly
        /// Reading and writing.
        case readWrite
    }

    /// The path of the file, or the label of an in-memory file; every error names it.
    public let name: String
    /// The mode the file was opened or created in.
    public let mode: Mode
    /// CFITSIO's handle; `nil` once closed.
    private var handle: UnsafeMutablePointer<fitsfile>?
    /// The bytes of an in-memory file; released after the handle (see `deinit`).
    private let memory: MemoryImage?

    private init(handle: UnsafeMutablePointer<fitsfile>, name: String, mode: Mode, memory: MemoryImage?) {
        self.handle = handle
        self.name = name
        self.mode = mode
        self.memory = memory
    }

    /// Opens the FITS file at `path`.
    ///
    /// The path is taken literally: CFITSIO's extended file-name syntax
    /// (`file.fits[1]`, `!file`, filters) is not interpreted. Gzip-compressed
    /// files (`.fits.gz`) are opened read-only by CFITSIO, which unpacks them
    /// in memory.
    ///
    /// - Throws: ``FITSError`` with ``FITSError/Code/fileNotFound``,
    ///   ``FITSError/Code/unreadable``, ``FITSError/Code/notFITS`` or
    ///   ``FITSError/Code/truncated``, naming `path`.
    public convenience init(path: String, mode: Mode = .readOnly) throws {
        try Self.checkIsFITS(path: path)
        var pointer: UnsafeMutablePointer<fitsfile>?
        try CFITSIOStatus.run(file: path, operation: "opening the file") { status in
            ffdkopn(&pointer, path, mode == .readOnly ? READONLY : READWRITE, &status)
        }
        guard let pointer else { throw Self.missingHandle(path) }
        self.init(handle: pointer, name: path, mode: mode, memory: nil)
    }

    /// Opens a FITS file held in memory, read-only.
    ///
    /// The bytes are copied into a buffer this instance owns, so `data` may be
    /// released or mutated afterwards.
    ///
    /// - Parameters:
    ///   - data: The complete FITS file (not gzip-compressed).
    ///   - name: A label for errors, e.g. the object-store key the bytes came from.
    public convenience init(data: Data, name: String = "<memory>") throws {
        let memory = try data.withUnsafeBytes { bytes in
            try Self.checkIsFITS(prefix: UnsafeRawBufferPointer(rebasing: bytes.prefix(80)), file: name, allowGzip: false)
            return MemoryImage(copying: bytes)
        }
        var pointer: UnsafeMutablePointer<fitsfile>?
        try CFITSIOStatus.run(file: name, operation: "opening the in-memory file") { status in
            // The label is not passed on: ffomem would parse brackets in it as an extension name.
            ffomem(&pointer, "nocturne-memory", READONLY, memory.bufferCell, memory.sizeCell, 0, nil, &status)
        }
        guard let pointer else { throw Self.missingHandle(name) }
        self.init(handle: pointer, name: name, mode: .readOnly, memory: memory)
    }

    /// Opens a FITS file held in memory, read-only; see ``init(data:name:)``.
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        try self.init(data: Data(bytes), name: name)
    }

    /// Creates a new, empty FITS file at `path`, open for writing.
    ///
    /// - Parameters:
    ///   - path: Taken literally, as in ``init(path:mode:)``.
    ///   - overwrite: Replace an existing file; when `false`, an existing file
    ///     is an error (``FITSError/Code/fileExists``).
    public static func create(path: String, overwrite: Bool = false) throws -> FITSFile {
        if FileManager.default.fileExists(atPath: path) {
            guard overwrite else {
                throw FITSError(.fileExists, file: path, problem: "the file already exists and overwrite was not requested")
            }
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw FITSError(.fileExists, file: path, problem: "the file exists and could not be removed: \(error)")
            }
        }
        var pointer: UnsafeMutablePointer<fitsfile>?
        try CFITSIOStatus.run(file: path, operation: "creating the file") { status in
            ffdkinit(&pointer, path, &status)
        }
        guard let pointer else { throw missingHandle(path) }
        return FITSFile(handle: pointer, name: path, mode: .readWrite, memory: nil)
    }

    /// Flushes and closes the file. Later calls on this instance throw
    /// ``FITSError/Code/fileClosed``; closing twice does nothing.
    public func close() throws {
        guard let pointer = handle else { return }
        handle = nil
        // ffclos releases the handle even when flushing fails, so it is never retried.
        try CFITSIOStatus.run(file: name, operation: "closing the file") { ffclos(pointer, &$0) }
    }

    deinit {
        if let pointer = handle {
            // Errors cannot be thrown from deinit; close() is the way to see them.
            try? CFITSIOStatus.run(file: name, operation: "closing the file") { ffclos(pointer, &$0) }
        }
        // `memory` is released after this body returns, so CFITSIO has let go
        // of the buffer before it is freed.
    }

    /// Whether the linked CFITSIO is thread-safe (`fits_is_reentrant()`); see
    /// "Thread safety" above.
    public static var isCFITSIOReentrant: Bool { CFITSIOStatus.isReentrant }

    /// The linked CFITSIO version, e.g. "4.2.0".
    public static var cfitsioVersion: String { CFITSIOStatus.version }

    /// Runs one CFITSIO call on the open handle and checks its status.
    ///
    /// - Parameters:
    ///   - operation: What the call does, in words, for the error message.
    ///   - body: The call; it receives the handle and the status to pass on.
    func call(_ operation: String,
              _ body: (UnsafeMutablePointer<fitsfile>, inout Int32) -> Void) throws {
        guard let pointer = handle else {
            throw FITSError(.fileClosed, file: name, problem: "the file was already closed (\(operation))")
        }
        try CFITSIOStatus.run(file: name, operation: operation) { body(pointer, &$0) }
    }

    private static func missingHandle(_ file: String) -> FITSError {
        FITSError(.cfitsio, file: file, problem: "CFITSIO reported success but returned no file handle")
    }
}

// MARK: - Recognising FITS bytes before CFITSIO sees them

extension FITSFile {
    /// Every FITS file starts with this card prefix. Checking it first gives a
    /// clear "not a FITS file" instead of CFITSIO's read error for short files.
    private static let signature = Array("SIMPLE  =".utf8)
    private static let gzipSignature: [UInt8] = [0x1F, 0x8B]

    private static func checkIsFITS(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FITSError(.fileNotFound, file: path, problem: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw FITSError(.notFITS, file: path, problem: "not a FITS file: it is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FITSError(.unreadable, file: path, problem: "the file exists but cannot be opened for reading")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 80)) ?? Data()
        try prefix.withUnsafeBytes { bytes in
            try checkIsFITS(prefix: bytes, file: path, allowGzip: true)
        }
    }

    private static func checkIsFITS(prefix: UnsafeRawBufferPointer, file: String, allowGzip: Bool) throws {
        if prefix.isEmpty {
            throw FITSError(.notFITS, file: file, problem: "not a FITS file: it is empty")
        }
        if allowGzip && prefix.starts(with: gzipSignature) { return }
        if prefix.count < signature.count && signature.starts(with: prefix) {
            throw FITSError(.truncated, file: file,
                            problem: "the file is truncated: it ends after \(prefix.count) bytes, inside the first header card")
        }
        guard prefix.starts(with: signature) else {
            throw FITSError(.notFITS, file: file,
                            problem: "not a FITS file: it does not start with a SIMPLE card")
        }
    }
}

/// The bytes of an in-memory FITS file, plus the two cells `ffomem` keeps the
/// addresses of (it reads the buffer pointer and size through them for as
/// long as the file is open), all on the heap so their addresses never move.
private final class MemoryImage {
    let buffer: UnsafeMutableRawPointer
    let bufferCell: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let sizeCell: UnsafeMutablePointer<Int>

    init(copying bytes: UnsafeRawBufferPointer) {
        buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let base = bytes.baseAddress, bytes.count > 0 {
            buffer.copyMemory(from: base, byteCount: bytes.count)
        }
        bufferCell = .allocate(capacity: 1)
        bufferCell.initialize(to: buffer)
        sizeCell = .allocate(capacity: 1)
        sizeCell.initialize(to: bytes.count)
    }

    deinit {
        sizeCell.deallocate()
        bufferCell.deallocate()
        buffer.deallocate()
    }
}
