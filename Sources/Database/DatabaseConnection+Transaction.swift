import CLibPQ

extension DatabaseConnection {
    /// Runs `body` in a transaction: BEGIN, then COMMIT if it returns, ROLLBACK
    /// if it throws (and the error is rethrown).
    ///
    /// A `transaction` inside another uses a savepoint, so the inner one rolls
    /// back alone. If the body swallowed a statement error, PostgreSQL has
    /// already aborted the transaction; this is reported as an error rather
    /// than letting COMMIT silently roll back.
    ///
    /// - Throws: the body's error; `.connectionLost` saying the transaction was
    ///   rolled back when the connection died inside it, or that the outcome is
    ///   unknown when it died during COMMIT.
    public func transaction<T>(_ body: (DatabaseConnection) throws -> T) throws -> T {
        let depth = transactionDepth
        let savepoint = depth > 0 ? "nocturne_savepoint_\(depth)" : nil
        try executeScript(savepoint.map { "SAVEPOINT \($0)" } ?? "BEGIN")
        transactionDepth = depth + 1
        defer { transactionDepth = depth }
        let value: T
        do {
            value = try body(self)
        } catch {
            throw rollback(after: error, savepoint: savepoint)
        }
        if let conn = try? liveHandle(), PQtransactionStatus(conn) == PQTRANS_INERROR {
            let error = DatabaseError(
                .serverError,
                "a statement inside the transaction failed and its error was caught; the transaction is aborted",
                server: serverDescription)
            throw rollback(after: error, savepoint: savepoint)
        }
        do {
            try executeScript(savepoint.map { "RELEASE SAVEPOINT \($0)" } ?? "COMMIT")
        } catch let error as DatabaseError where error.isConnectionFailure && savepoint == nil {
            throw error.prefixed("connection lost during COMMIT; the transaction may or may not have committed")
        }
        return value
    }

    /// Rolls back after `error` and returns the error to throw: the original,
    /// or one that says the connection died (the server then rolls back by
    /// itself) or that the rollback failed too.
    private func rollback(after error: any Error, savepoint: String?) -> any Error {
        guard isConnected else {
            let context = "connection lost inside a transaction, so the server rolled it back"
            if let error = error as? DatabaseError { return error.prefixed(context, code: .connectionLost) }
            return DatabaseError(.connectionLost, "\(context); the transaction body threw: \(error)",
                server: serverDescription)
        }
        do {
            if let savepoint {
                try executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            } else {
                try executeScript("ROLLBACK")
            }
            logger?.debug("transaction rolled back", metadata: ["error": "\(error)"])
            return error
        } catch let rollbackError as DatabaseError {
            return rollbackError.prefixed("ROLLBACK failed after the transaction body threw (\(error))")
        } catch {
            return error
        }
    }
}
