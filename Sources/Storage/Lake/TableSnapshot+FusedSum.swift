extension TableSnapshot {
    /// `DataFileReader.fusedInt64Sum` for one morsel and column (an index into `schema`): nil when the chunk
    /// must be read and summed instead. A column the file does not have reads as NULL (count 0).
    public func fusedInt64Sum(_ morsel: ScanMorsel, column index: Int) throws -> FusedChunkSum? {
        try fusedChunkRead(morsel, column: index, accepts: { $0 == .bigint }, missing: FusedChunkSum(sum: 0, count: 0)) {
            try $0.fusedInt64Sum(rowGroup: $1, column: $2)
        }
    }

    /// `DataFileReader.usedDictionaryEntries` for one morsel and column (an index into `schema`): nil when the
    /// chunk is not dictionary-encoded VARCHAR. A column the file does not have reads as NULL (no entries).
    public func usedDictionaryEntries(_ morsel: ScanMorsel, column index: Int) throws -> UsedDictionaryEntries? {
        try fusedChunkRead(morsel, column: index, accepts: { $0.physical == .string },
                           missing: UsedDictionaryEntries(dictionary: StringArray(), used: [])) {
            try $0.usedDictionaryEntries(rowGroup: $1, column: $2)
        }
    }

    /// Runs a fused read of one chunk: checks the column type in the table and in the file (`accepts`), gives
    /// `missing` for a column the file does not have, names the file in errors, and counts the chunk's bytes and
    /// rows when `read` could answer without decoding (non-nil).
    private func fusedChunkRead<Result>(
        _ morsel: ScanMorsel, column index: Int, accepts: (DataType) -> Bool, missing: Result,
        read: (DataFileReader, Int, Int) throws -> Result?
    ) throws -> Result? {
        guard schema.fields.indices.contains(index), accepts(schema.fields[index].type) else { return nil }
        // A chunk-level answer would count the rows a deletion vector removed.
        if hasDeletedRows(morsel) { return nil }
        let reader = try readers.reader(morsel.fileIndex)
        let path = files[morsel.fileIndex].path
        guard reader.rowGroups.indices.contains(morsel.rowGroup) else {
            throw TarnError.corruption("\(path): row group \(morsel.rowGroup) does not exist (the file has \(reader.rowGroups.count))")
        }
        guard let fileColumn = reader.fieldIds.firstIndex(of: columnIds[index]) else { return missing }
        guard accepts(reader.schema.fields[fileColumn].type) else { return nil }
        let result: Result?
        do {
            result = try read(reader, morsel.rowGroup, fileColumn)
        } catch {
            throw DataFileReaderCache.naming(error, file: path)
        }
        if result != nil {
            let bytes = reader.chunkSize(rowGroup: morsel.rowGroup, column: fileColumn)
            let rows = reader.rowGroups[morsel.rowGroup].rowCount
            counters.add { $0.bytesRead += bytes; $0.rowsRead += rows }
        }
        return result
    }
}
