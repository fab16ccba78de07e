/// Change-feed views of a snapshot, for incremental pipelines over append-only tables.
extension TableSnapshot {
    /// The table's catalog uuid (stable across versions and renames; new when the table is dropped and re-created).
    public var uuid: String { tableUUID }

    /// The same version restricted to the data files added after `version`: for an append-only table, exactly
    /// the rows it gained since `version` (like Delta's change data feed for inserts).
    public func filesAdded(after version: Int64) -> TableSnapshot {
        TableSnapshot(name: name, version: self.version, schema: schema, columnIds: columnIds, timestamp: timestamp,
                      files: files.filter { $0.addedVersion > version }, tableId: tableId, tableUUID: tableUUID,
                      nextColumnId: nextColumnId)
    }

    /// Whether every file of `older` is still part of this version, i.e. the table only gained rows since then.
    /// (A file that gained deleted rows in a deletion vector since then counts as changed.)
    public func onlyAppended(since older: TableSnapshot) -> Bool {
        let current = Set(files.map(\.contentKey))
        return older.tableUUID == tableUUID && older.files.allSatisfy { current.contains($0.contentKey) }
    }
}
