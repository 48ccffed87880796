/// Validation and quoting of SQL identifiers (table and column names) that
/// have to be spliced into statement text, where parameters cannot go.
///
/// Only `[A-Za-z_][A-Za-z0-9_]*` of at most 63 bytes is accepted, so a name can
/// never carry SQL. The name is then double-quoted, which keeps reserved words
/// usable and makes case significant: pass names as they are stored (lower case
/// for tables created without quotes).
public enum SQLIdentifier {
    /// `"name"` for a valid identifier.
    /// - Throws: `.invalidArgument` naming the offending text and what it was for.
    public static func quoted(_ name: String, role: String = "identifier") throws -> String {
        guard isValid(name) else {
            throw DatabaseError(
                .invalidArgument,
                "invalid \(role) \"\(name)\": only letters, digits and _ are allowed, not starting with a digit, at most 63 bytes")
        }
        return "\"\(name)\""
    }

    /// `"schema"."table"` or `"table"` for a name with at most one dot.
    public static func quotedQualified(_ name: String, role: String = "table name") throws -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw DatabaseError(.invalidArgument, "invalid \(role) \"\(name)\": at most schema.table")
        }
        do {
            return try parts.map { try quoted(String($0), role: role) }.joined(separator: ".")
        } catch {
            throw DatabaseError(
                .invalidArgument,
                "invalid \(role) \"\(name)\": each part must be letters, digits and _, not starting with a digit")
        }
    }

    /// Whether `name` matches `[A-Za-z_][A-Za-z0-9_]*` and fits PostgreSQL's 63-byte limit.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || (48...57).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || byte == 95
    }
}
