import Storage

/// Page skipping with the page index (Parquet's `ColumnIndex` / `OffsetIndex`, written by parquet-mr, Arrow with
/// `write_page_index`, Spark, Trino): the rows of a row group whose pages' min / max may satisfy a scan's predicates,
/// and a read of only those rows that decompresses and decodes only the pages holding them.
///
/// The page index only narrows what is read: the scan's filter still runs on every row returned. An index that does
/// not fit its file or chunk (damaged, foreign) is ignored and the whole row group is read.
extension ParquetFile {
    /// The offset index and column index of `column` in `rowGroup` (the column index may be absent); nil without an
    /// offset index, or when the index cannot be read.
    func pageIndex(rowGroup: Int, column: ParquetColumn) -> (offsets: OffsetIndex, columns: ColumnIndex?)? {
        guard column.maxRepetitionLevel == 0, rowGroup < metadata.rowGroups.count,
              column.index < metadata.rowGroups[rowGroup].columns.count else { return nil }
        let chunk = metadata.rowGroups[rowGroup].columns[column.index]
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength, length > 0,
              let bytes = try? read(offset: Int(offset), count: Int(length), what: "offset index") else { return nil }
        var r = ThriftCompactReader(bytes)
        guard let offsets = try? OffsetIndex(from: &r) else { return nil }
        var columns: ColumnIndex?
        if let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength, length > 0,
           let bytes = try? read(offset: Int(offset), count: Int(length), what: "column index") {
            var r = ThriftCompactReader(bytes)
            columns = try? ColumnIndex(from: &r)
        }
        return (offsets, columns)
    }

    /// The rows of row group `rowGroup` that may satisfy every predicate according to the page index of the
    /// predicate's column (sorted, disjoint, possibly empty); nil when no predicate's column has a usable one.
    public func pageRowRanges(rowGroup: Int, predicates: [(ColumnPredicate, ParquetColumn)]) -> [Range<Int>]? {
        guard rowGroup < metadata.rowGroups.count else { return nil }
        let rows = Int(metadata.rowGroups[rowGroup].numRows)
        var kept: [Range<Int>]?
        for (predicate, column) in predicates {
            guard let (offsets, index) = pageIndex(rowGroup: rowGroup, column: column), let index,
                  let spans = offsets.pageRows(rowGroupRows: rows), index.nullPages.count == spans.count,
                  index.minValues.count == spans.count, index.maxValues.count == spans.count else { continue }
            var matching: [Range<Int>] = []
            for (k, span) in spans.enumerated()
            where StatisticsFilter.mayMatch(predicate, column: column, statistics: index.statistics(page: k, rows: span.count), rows: Int64(span.count)) {
                if let last = matching.last, last.upperBound == span.lowerBound {
                    matching[matching.count - 1] = last.lowerBound..<span.upperBound
                } else {
                    matching.append(span)
                }
            }
            kept = kept.map { Self.intersect($0, matching) } ?? matching
        }
        return kept
    }

    /// Rows `ranges` (sorted, disjoint, within the row group) of row group `rowGroup` for `columns`, as one batch, and
    /// the bytes read. A flat column with an offset index has only its pages that hold those rows (and its dictionary
    /// page) read and decoded; another is read whole and cut.
    public func rowGroupBatch(_ rowGroup: Int, columns: [ParquetColumn], rows ranges: [Range<Int>]) throws -> (batch: Batch, bytesRead: Int) {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else { throw TarnError(.internal, "\(path): no row group \(rowGroup)") }
        let rows = Int(metadata.rowGroups[rowGroup].numRows)
        let total = ranges.reduce(0) { $0 + $1.count }
        guard ranges.allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= rows }) else {
            throw TarnError(.internal, "\(path): rows outside row group \(rowGroup)")
        }
        var bytesRead = 0
        let decoded = try columns.map { column -> Column in
            if let (offsets, _) = pageIndex(rowGroup: rowGroup, column: column), let spans = offsets.pageRows(rowGroupRows: rows) {
                let (column, bytes) = try readPages(rowGroup: rowGroup, column: column, offsets: offsets, spans: spans, ranges: ranges)
                bytesRead += bytes
                return column
            }
            let reader = try chunkReader(rowGroup: rowGroup, column: column)
            bytesRead += reader.byteCount
            return try reader.read(rows: rows).gather(Self.indices(of: ranges, in: [(0..<rows, 0)]))
        }
        return (Batch(columns: decoded, count: total), bytesRead)
    }

    /// Reads the pages of one flat column chunk that hold any of `ranges` (plus its dictionary page) and returns
    /// exactly the rows of `ranges`.
    private func readPages(rowGroup: Int, column: ParquetColumn, offsets: OffsetIndex, spans: [Range<Int>],
                           ranges: [Range<Int>]) throws -> (Column, Int) {
        let chunk = try checkedChunk(rowGroup: rowGroup, column: column)
        let chunkEnd = chunk.start + chunk.length
        var body: [UInt8] = []
        // The dictionary page sits before the first data page.
        let firstPage = Int(offsets.pageLocations[0].offset)
        if firstPage > chunk.start {
            guard firstPage <= chunkEnd else { throw TarnError.corruption("\(chunk.location): the offset index puts the first page past the chunk") }
            body += try read(offset: chunk.start, count: firstPage - chunk.start, what: "dictionary page")
        }
        // The selected pages, as runs of consecutive rows with where each run starts among the decoded rows.
        var segments: [(rows: Range<Int>, decodedStart: Int)] = []
        var decodedRows = 0
        var k = 0
        for range in ranges {
            while k < spans.count && spans[k].upperBound <= range.lowerBound { k += 1 }
            var j = k
            while j < spans.count && spans[j].lowerBound < range.upperBound {
                if let last = segments.last, last.rows.upperBound >= spans[j].upperBound { j += 1; continue }  // already taken
                let page = offsets.pageLocations[j]
                let start = Int(page.offset), size = Int(page.compressedPageSize)
                guard start >= chunk.start, size > 0, start + size <= chunkEnd else {
                    throw TarnError.corruption("\(chunk.location): the offset index puts page \(j) outside the column chunk")
                }
                body += try read(offset: start, count: size, what: "data page")
                if let last = segments.last, last.rows.upperBound == spans[j].lowerBound {
                    segments[segments.count - 1].rows = last.rows.lowerBound..<spans[j].upperBound
                } else {
                    segments.append((spans[j], decodedRows))
                }
                decodedRows += spans[j].count
                j += 1
            }
        }
        let reader = ColumnChunkReader(column: column, codec: chunk.codec, data: body, rows: decodedRows, location: chunk.location)
        let pages = try reader.read(rows: decodedRows)
        return (pages.gather(Self.indices(of: ranges, in: segments)), body.count)
    }

    /// Positions among the decoded rows of every row of `ranges`, given the decoded runs of rows and where each starts.
    static func indices(of ranges: [Range<Int>], in segments: [(rows: Range<Int>, decodedStart: Int)]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
        var s = 0
        for range in ranges {
            var row = range.lowerBound
            while row < range.upperBound {
                while s < segments.count && segments[s].rows.upperBound <= row { s += 1 }
                guard s < segments.count, segments[s].rows.lowerBound <= row else { return out }  // invariant: segments cover the ranges
                let end = min(range.upperBound, segments[s].rows.upperBound)
                let base = segments[s].decodedStart - segments[s].rows.lowerBound
                for r in row..<end { out.append(Int32(truncatingIfNeeded: base + r)) }
                row = end
            }
        }
        return out
    }

    /// The rows in both lists of sorted, disjoint ranges.
    static func intersect(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let lo = max(a[i].lowerBound, b[j].lowerBound), hi = min(a[i].upperBound, b[j].upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return out
    }
}
