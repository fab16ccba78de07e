/// RESTORE with the caller's own catalog records in the same transaction.
extension Lake {
    /// Makes `selector`'s contents the table's new latest version (operation `RESTORE`) and runs `extra` in the
    /// same catalog transaction, so records describing the undone versions (e.g. files a COPY loaded) are
    /// removed atomically with the rows. `reason` goes into the history's parameters.
    @discardableResult
    public func restore(_ name: TableName, to selector: SnapshotSelector, reason: String,
                        extra: ((CatalogTransaction) throws -> Void)?) throws -> VersionInfo {
        try requireWritable()
        let target = try snapshot(of: name, at: selector)
        let base = try snapshot(of: name)
        let writer = TableWriter(lake: self, base: base, mode: .restore(target: target))
        let parameters = CatalogEncoding.object(["version": .int(target.version), "reason": .string(reason)])
        return try writer.commit(operation: "RESTORE", parameters: parameters, extra: extra)
    }
}
