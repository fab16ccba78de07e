/// A capability a reader must have to read a table correctly (Delta Lake's reader table features).
///
/// The catalog table `reader_features(table_id, feature)` lists, per table, the features its data needs; every
/// snapshot load checks them against `ReaderFeature.known`, and a name this build does not know refuses the table
/// ("table t needs reader feature X; this tarn is too old") instead of reading it wrong. A feature is recorded by the
/// commit that first stores data needing it (the first deletion vector) and stays for the table's life: older
/// versions (time travel) may still need it.
public struct ReaderFeature: Hashable, Sendable {
    /// The name stored in the catalog (Delta's spelling where Delta has the feature).
    public let name: String

    public init(_ name: String) { self.name = name }

    /// Rows of a data file marked deleted in `deletion_vectors` (see `DeletionVector`).
    public static let deletionVectors = ReaderFeature("deletionVectors")

    /// The features this build reads.
    public static let known: Set<String> = [deletionVectors.name]
}

extension Lake {
    /// Records that table `tableId` needs `feature` from every reader (idempotent; creates the catalog table in older lakes).
    static func recordReaderFeature(_ tx: CatalogTransaction, tableId: Int64, _ feature: ReaderFeature) throws {
        try tx.execute(LakeCatalogSchema.readerFeaturesTable)
        try tx.execute("INSERT OR IGNORE INTO reader_features(table_id, feature) VALUES (?, ?)", [.integer(tableId), .text(feature.name)])
    }

    /// The reader features table `tableId` needs, sorted (none in lakes made before the catalog table existed).
    func readerFeatures(_ tx: CatalogTransaction, tableId: Int64) throws -> [String] {
        guard !(try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'reader_features'").isEmpty) else { return [] }
        return try tx.query("SELECT feature FROM reader_features WHERE table_id = ? ORDER BY feature", [.integer(tableId)])
            .compactMap { $0[0].string }
    }

    /// Throws `.unsupported` naming the first feature of table `name` this build does not know.
    func requireReaderFeatures(_ tx: CatalogTransaction, _ name: TableName, tableId: Int64) throws {
        for feature in try readerFeatures(tx, tableId: tableId) where !ReaderFeature.known.contains(feature) {
            throw Lake.tooOld(name, feature)
        }
    }
}

extension Lake {
    /// Throws `.unsupported` when any table (or, with `tableId`, that table) needs a reader feature this build does
    /// not know: VACUUM and `tarn check` decide which files are needed, which such a table's data may change.
    func requireKnownReaderFeatures(_ tx: CatalogTransaction, tableId: Int64? = nil) throws {
        guard !(try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'reader_features'").isEmpty) else { return }
        let rows = try tx.query("""
            SELECT s.name, t.name, f.feature FROM reader_features f JOIN tables t USING (table_id) JOIN schemas s USING (schema_id)
            WHERE ? IS NULL OR f.table_id = ? ORDER BY s.name, t.name, f.feature
            """, [tableId.map { .integer($0) } ?? .null, tableId.map { .integer($0) } ?? .null])
        for row in rows {
            guard let schema = row[0].string, let table = row[1].string, let feature = row[2].string,
                  !ReaderFeature.known.contains(feature) else { continue }
            throw Lake.tooOld(TableName(schema: schema, name: table), feature)
        }
    }

    /// The error for a table needing `feature`, which this build does not know.
    static func tooOld(_ name: TableName, _ feature: String) -> TarnError {
        TarnError(.unsupported, "table '\(name)' needs reader feature \(feature); this tarn is too old "
                  + "(it knows \(ReaderFeature.known.sorted().joined(separator: ", "))): open the lake with a newer tarn")
    }
}
