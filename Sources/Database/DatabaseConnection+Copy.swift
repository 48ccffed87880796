import CLibPQ
import Foundation

extension DatabaseConnection {
    /// Bytes buffered before each `PQputCopyData`: large enough that libpq
    /// and the server see few calls, small enough to bound memory.
    static let copyChunkSize = 1 << 20

    /// Bulk-inserts rows with `COPY table (columns) FROM STDIN` in text format,
    /// streaming `rows` in chunks of about 1 MiB.
    ///
    /// Far faster than INSERTs for thousands of rows. All rows go in or none:
    /// the COPY is one statement (inside a surrounding `transaction` if any).
    ///
    /// - Parameters:
    ///   - table: `table` or `schema.table`; validated and quoted (case-sensitive).
    ///   - columns: the columns each row gives values for, in order; validated and quoted.
    ///   - rows: one array per row, with `columns.count` values; nil is NULL.
    ///     Values are escaped for COPY (backslash, tab, newline, carriage return).
    /// - Returns: the number of rows the server stored.
    /// - Throws: `.invalidArgument` for a bad identifier, a row of the wrong
    ///   width or a NUL byte (the COPY is then cancelled); the server's error
    ///   (e.g. a constraint violation, naming the constraint) otherwise.
    @discardableResult
    public func copy(
        into table: String, columns: [String], rows: some Sequence<[(any PostgresEncodable)?]>
    ) throws -> Int {
        let sql = try namingServer {
            guard !columns.isEmpty else {
                throw DatabaseError(.invalidArgument, "copy(into: \(table)) needs at least one column")
            }
            let tableName = try SQLIdentifier.quotedQualified(table)
            let columnList = try columns.map { try SQLIdentifier.quoted($0, role: "column name") }
            return "COPY \(tableName) (\(columnList.joined(separator: ", "))) FROM STDIN"
        }
        let conn = try liveHandle()
        let started = PQexec(conn, sql)
        defer { PQclear(started) }
        try check(PQresultStatus(started) == PGRES_COPY_IN, result: started, query: sql)

        let buffer = CopyBuffer(capacity: Self.copyChunkSize + 64 * 1024)
        var rowNumber = 0
        do {
            for row in rows {
                rowNumber += 1
                guard row.count == columns.count else {
                    throw DatabaseError(
                        .invalidArgument,
                        "copy into \(table): row \(rowNumber) has \(row.count) values for \(columns.count) columns",
                        server: serverDescription, query: sql)
                }
                try buffer.append(row, rowNumber: rowNumber)
                if buffer.count >= Self.copyChunkSize { try sendCopyData(buffer, conn, sql) }
            }
            if !buffer.isEmpty { try sendCopyData(buffer, conn, sql) }
        } catch {
            // Cancel the COPY so the server discards what it got and the
            // connection leaves COPY mode; the caller sees our error, not the cancel.
            _ = PQputCopyEnd(conn, "client cancelled the COPY: \(error)")
            _ = try? finishCopy(conn, sql)
            throw (error as? DatabaseError)?.on(serverDescription) ?? error
        }
        try check(PQputCopyEnd(conn, nil) == 1, query: sql)
        return try finishCopy(conn, sql)
    }

    private func sendCopyData(_ buffer: CopyBuffer, _ conn: OpaquePointer, _ sql: String) throws {
        let sent = buffer.bytes.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            PQputCopyData(conn, $0, Int32(buffer.count))
        }
        try check(sent == 1, query: sql)
        buffer.removeAll()
    }

    /// Reads every result after `PQputCopyEnd` (libpq needs them all consumed
    /// before the next command) and returns the stored row count.
    private func finishCopy(_ conn: OpaquePointer, _ sql: String) throws -> Int {
        var count = 0
        var failure: (any Error)?
        while let result = PQgetResult(conn) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if failure == nil {
                do {
                    try check(status == PGRES_COMMAND_OK, result: result, query: sql)
                    count = Int(String(cString: PQcmdTuples(result))) ?? 0
                } catch {
                    failure = error
                }
            }
            // Still in COPY mode means the end marker never went out (broken
            // connection); asking again would return the same state forever.
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT { break }
        }
        if let failure { throw failure }
        return count
    }
}

/// Rows encoded in COPY's text format: tab-separated, newline-terminated,
/// `\N` for NULL, and `\\`, `\t`, `\n`, `\r` escapes inside values.
///
/// Owns a plain malloc'd buffer filled with `memcpy`: values without special
/// characters (nearly all) are copied whole, which keeps encoding cheap even
/// in debug builds, where per-byte Swift loops are slow.
final class CopyBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        bytes = .allocate(capacity: self.capacity)
    }

    deinit { bytes.deallocate() }

    var isEmpty: Bool { count == 0 }

    func removeAll() { count = 0 }

    func append(_ row: [(any PostgresEncodable)?], rowNumber: Int) throws {
        for index in row.indices {
            if index > 0 { appendByte(9) }
            guard let value = row[index] else {
                appendByte(92)
                appendByte(78)  // \N
                continue
            }
            var text = value.postgresText
            let clean = text.withUTF8 { utf8 in
                guard let base = utf8.baseAddress, !Self.needsEscaping(utf8) else { return utf8.isEmpty }
                appendBytes(base, utf8.count)
                return true
            }
            if !clean { try appendEscaped(text, rowNumber: rowNumber, column: index + 1) }
        }
        appendByte(10)
    }

    private func appendEscaped(_ text: String, rowNumber: Int, column: Int) throws {
        for byte in text.utf8 {
            switch byte {
            case 92: appendByte(92); appendByte(92)
            case 9: appendByte(92); appendByte(116)  // \t
            case 10: appendByte(92); appendByte(110)  // \n
            case 13: appendByte(92); appendByte(114)  // \r
            case 0:
                throw DatabaseError(
                    .invalidArgument,
                    "COPY row \(rowNumber), value \(column) contains a NUL byte, which PostgreSQL text cannot hold")
            default: appendByte(byte)
            }
        }
    }

    /// Whether any byte is a backslash, tab, newline, carriage return or NUL,
    /// found with C's `memchr` rather than a Swift loop.
    private static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(utf8.baseAddress!)
        let length = utf8.count
        return memchr(raw, 92, length) != nil || memchr(raw, 9, length) != nil || memchr(raw, 10, length) != nil
            || memchr(raw, 13, length) != nil || memchr(raw, 0, length) != nil
    }

    private func appendByte(_ byte: UInt8) {
        reserve(1)
        bytes[count] = byte
        count += 1
    }

    private func appendBytes(_ source: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (bytes + count).update(from: source, count: length)
        count += length
    }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = grown
        capacity = newCapacity
    }
}
