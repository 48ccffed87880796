import Database
import Foundation

/// Nocturne's tables, over one database connection: typed reads and
/// idempotent writes keyed by natural keys, so a redelivered message or a
/// second ingest of a file changes nothing.
///
/// Not thread-safe, like the connection it owns; give each task its own.
public final class PipelineStore: @unchecked Sendable {
    // @unchecked: the connection is not thread-safe; a store is used by one
    // task at a time and may move between tasks, as DatabaseConnection may.
    /// The connection every call uses.
    public let connection: DatabaseConnection

    /// A store over `connection`, which it now owns.
    public init(connection: DatabaseConnection) {
        self.connection = connection
    }

    /// Runs `body` in one transaction (see ``DatabaseConnection/transaction(_:)``).
    public func transaction<T>(_ body: (PipelineStore) throws -> T) throws -> T {
        try connection.transaction { _ in try body(self) }
    }
}
