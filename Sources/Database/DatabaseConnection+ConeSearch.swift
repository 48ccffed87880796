extension DatabaseConnection {
    /// Rows of `table` whose position lies within `radiusDegrees` of
    /// (`ra`, `dec`), using q3c's `q3c_radial_query` so that a
    /// `q3c_ang2ipix(ra, dec)` index is used.
    ///
    /// - Parameters:
    ///   - table: `table` or `schema.table`; validated and quoted.
    ///   - raColumn, decColumn: the table's position columns, degrees (ICRS).
    ///   - ra, dec: the cone's centre, degrees. Dec must be in −90…90.
    ///   - radiusDegrees: the cone's radius, degrees (great-circle distance), ≥ 0.
    ///   - columns: column names to return, or `["*"]`; validated and quoted.
    ///   - extra: an optional further condition ANDed in, written by the
    ///     programmer (never built from input); its values go in `parameters`
    ///     as `$4`, `$5`… since `$1`–`$3` are the cone.
    ///   - parameters: values for `extra`'s placeholders.
    ///   - limit: at most this many rows (in no particular order); nil for all.
    /// - Throws: `.invalidArgument` for a bad identifier or a non-finite or
    ///   out-of-range position; the server's error otherwise.
    public func coneSearch(
        table: String, raColumn: String = "ra", decColumn: String = "dec",
        ra: Double, dec: Double, radiusDegrees: Double,
        columns: [String] = ["*"], where extra: String? = nil,
        parameters: [(any PostgresEncodable)?] = [], limit: Int? = nil
    ) throws -> [DatabaseRow] {
        guard ra.isFinite, dec.isFinite, (-90...90).contains(dec), radiusDegrees.isFinite, radiusDegrees >= 0 else {
            throw DatabaseError(
                .invalidArgument,
                "cone search needs a finite centre with dec in -90...90 and a radius >= 0, got ra \(ra), dec \(dec), radius \(radiusDegrees)",
                server: serverDescription)
        }
        var sql = try namingServer {
            let tableName = try SQLIdentifier.quotedQualified(table)
            let raName = try SQLIdentifier.quoted(raColumn, role: "column name")
            let decName = try SQLIdentifier.quoted(decColumn, role: "column name")
            let selected =
                columns == ["*"]
                ? "*" : try columns.map { try SQLIdentifier.quoted($0, role: "column name") }.joined(separator: ", ")
            return """
                SELECT \(selected) FROM \(tableName)
                WHERE q3c_radial_query(\(raName), \(decName), $1::double precision, $2::double precision, $3::double precision)
                """
        }
        if let extra { sql += " AND (\(extra))" }
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try query(sql, [ra, dec, radiusDegrees] + parameters)
    }
}
