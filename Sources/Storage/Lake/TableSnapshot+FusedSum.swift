extension TableSnapshot {
    /// `DataFileReader.fusedInt64Sum` for one morsel and column (an index into `schema`): nil when the chunk
    /// must be read and summed instead. A column the file does not have reads as NULL (count 0).
    public func fusedInt64Sum(_ morsel: ScanMorsel, column index: Int) throws -> FusedChunkSum? {
        guard schema.fields.indices.contains(index), schema.fields[index].type == .bigint else { return nil }
        let reader = try readers.reader(morsel.fileIndex)
        let path = files[morsel.fileIndex].path
        guard reader.rowGroups.indices.contains(morsel.rowGroup) else {
            throw TarnError.corruption("\(path): row group \(morsel.rowGroup) does not exist (the file has \(reader.rowGroups.count))")
        }
        guard let fileColumn = reader.fieldIds.firstIndex(of: columnIds[index]) else { return FusedChunkSum(sum: 0, count: 0) }
        guard reader.schema.fields[fileColumn].type == .bigint else { return nil }
        let result: FusedChunkSum?
        do {
            result = try reader.fusedInt64Sum(rowGroup: morsel.rowGroup, column: fileColumn)
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

    /// `DataFileReader.usedDictionaryEntries` for one morsel and column (an index into `schema`): nil when the
    /// chunk is not dictionary-encoded VARCHAR. A column the file does not have reads as NULL (no entries).
    public func usedDictionaryEntries(_ morsel: ScanMorsel, column index: Int) throws -> UsedDictionaryEntries? {
        guard schema.fields.indices.contains(index), schema.fields[index].type.physical == .string else { return nil }
        let reader = try readers.reader(morsel.fileIndex)
        let path = files[morsel.fileIndex].path
        guard reader.rowGroups.indices.contains(morsel.rowGroup) else {
            throw TarnError.corruption("\(path): row group \(morsel.rowGroup) does not exist (the file has \(reader.rowGroups.count))")
        }
        guard let fileColumn = reader.fieldIds.firstIndex(of: columnIds[index]) else { return UsedDictionaryEntries(dictionary: StringArray(), used: []) }
        guard reader.schema.fields[fileColumn].type.physical == .string else { return nil }
        let result: UsedDictionaryEntries?
        do {
            result = try reader.usedDictionaryEntries(rowGroup: morsel.rowGroup, column: fileColumn)
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
