import Foundation
import Storage
#if canImport(Glibc)
import Glibc
private let systemClose = Glibc.close
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemClose = Darwin.close
private let systemWrite = Darwin.write
#endif

/// Writes Tarn batches as one Parquet file: row groups of `options.rowGroupRows` rows, each column chunk
/// dictionary- or PLAIN-encoded with statistics (the chunks of a row group are encoded on all cores), then the
/// footer. The file is written under a hidden temporary name beside `path` and renamed into place by `close()`
/// after an fsync, so a crash or an error never leaves a partial file under `path`.
///
/// ```swift
/// let writer = try ParquetWriter(path: "out.parquet", columns: [("id", .bigint), ("name", .varchar)])
/// try writer.write(batch)            // columns in the order given
/// let summary = try writer.close()   // rows, size, per-column NULL counts and min/max
/// ```
public final class ParquetWriter {
    public let path: String
    public let options: ParquetWriteOptions
    /// The temporary file the rows go to until `close()` renames it to `path`.
    public let temporaryPath: String
    private let columns: [ParquetWriteColumn]
    private var buffers: [ParquetColumnBuffer]
    private var descriptor: Int32
    private var offset = 0
    private var rowGroups: [WrittenRowGroup] = []
    private var rowCount = 0
    private var nullCounts: [Int]
    private var extremes: [ColumnExtremes?]
    private var state = State.open

    private enum State { case open, closed, failed }

    /// A row group handed to the encoder; `done` is signalled when every column's result is in.
    private final class PendingRowGroup: @unchecked Sendable {
        let rows: Int
        var results: [Result<EncodedColumnChunk, Error>?]
        let done = DispatchSemaphore(value: 0)
        init(rows: Int, columns: Int) {
            self.rows = rows
            results = [Result<EncodedColumnChunk, Error>?](repeating: nil, count: columns)
        }
    }
    /// The row group being encoded in the background while the next one fills.
    private var pending: PendingRowGroup?

    /// Rows reserved up front per column buffer (buffers grow as needed: many partition writers stay small).
    static let initialCapacity = 16_384

    /// Where one row group's chunks landed, for the footer.
    private struct WrittenRowGroup {
        var chunks: [(offset: Int, chunk: EncodedColumnChunk)]
        var rows: Int
        var offset: Int
        var compressedSize: Int
        var uncompressedSize: Int
    }

    /// Creates the temporary file and writes the leading magic. `columns` fixes the names, types and order of
    /// every batch written.
    public init(path: String, columns: [(name: String, type: DataType)], options: ParquetWriteOptions = .init()) throws {
        self.path = path
        self.options = options
        self.columns = try columns.map { try ParquetWriteColumn(name: $0.name, type: $0.type) }
        guard !columns.isEmpty else { throw TarnError.semantic("a Parquet file needs at least one column") }
        var seen = Set<String>()
        for c in columns where !seen.insert(c.name.lowercased()).inserted {
            throw TarnError.semantic("Parquet: the column name '\(c.name)' appears twice")
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8).lowercased()
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw TarnError.io("cannot create \(temporaryPath) to write \(path) (errno \(errno): \(String(cString: strerror(errno))))")
        }
        buffers = self.columns.map { ParquetColumnBuffer(column: $0, capacity: min(options.rowGroupRows, Self.initialCapacity), dictionaryBytesLimit: options.dictionaryBytesLimit) }
        nullCounts = [Int](repeating: 0, count: columns.count)
        extremes = [ColumnExtremes?](repeating: nil, count: columns.count)
        do { try writeAll(ParquetFile.magic) } catch { abandon(); throw error }
    }

    deinit { if state != .closed { abandon() } }

    /// Appends the rows of `batch`, whose columns are in the order (and of the types) given to `init`.
    public func write(_ batch: Batch) throws {
        guard state == .open else { throw TarnError(.internal, "Parquet writer for \(path) is \(state == .closed ? "closed" : "failed")") }
        guard batch.columns.count == columns.count else {
            throw TarnError(.internal, "Parquet writer for \(path): a batch of \(batch.columns.count) columns for \(columns.count)")
        }
        do {
            var start = 0
            while start < batch.count {
                let take = min(batch.count - start, options.rowGroupRows - buffers[0].rows)
                for (c, column) in batch.columns.enumerated() { try buffers[c].append(column, start..<start + take) }
                start += take
                if buffers[0].rows >= options.rowGroupRows { try flushRowGroup() }
            }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Writes the last row group and the footer, fsyncs and renames the file to `path`. Call once.
    public func close() throws -> ParquetWriteSummary {
        guard state == .open else { throw TarnError(.internal, "Parquet writer for \(path) is \(state == .closed ? "already closed" : "failed")") }
        do {
            if buffers[0].rows > 0 { try flushRowGroup() }
            try finishPending()
            let footer = footerBytes()
            try writeAll(footer)
            var length = UInt32(footer.count).littleEndian
            try writeAll(withUnsafeBytes(of: &length) { Array($0) })
            try writeAll(ParquetFile.magic)
            guard fsync(descriptor) == 0 else { throw TarnError.io("fsync of \(temporaryPath) failed (errno \(errno))") }
            systemClose(descriptor)
            descriptor = -1
            guard rename(temporaryPath, path) == 0 else {
                throw TarnError.io("cannot move \(temporaryPath) to \(path) (errno \(errno): \(String(cString: strerror(errno))))")
            }
            Self.syncFolder(of: path)
        } catch {
            abandon()
            throw error
        }
        state = .closed
        let summaries = columns.indices.map { c -> ParquetColumnSummary in
            let extremes = extremes[c]?.values(columns[c].type)
            return ParquetColumnSummary(name: columns[c].name, type: columns[c].type, nullCount: nullCounts[c], min: extremes?.min, max: extremes?.max)
        }
        return ParquetWriteSummary(rowCount: rowCount, fileSize: offset, rowGroupCount: rowGroups.count, columns: summaries)
    }

    /// Deletes the temporary file; `path` stays as it was. Safe to call more than once.
    public func abandon() {
        guard state != .closed else { return }
        if descriptor >= 0 { systemClose(descriptor); descriptor = -1 }
        unlink(temporaryPath)
        state = .failed
    }

    // MARK: row groups

    /// Hands the filled row group to the encoder: in the background (after writing the previous group, so at most
    /// one group is being encoded while the next one fills), or inline when `options.parallel` is off.
    private func flushRowGroup() throws {
        let rows = buffers[0].rows
        let filled = buffers
        // A full row group is most likely followed by another: reserve its size.
        let capacity = rows >= options.rowGroupRows ? min(options.rowGroupRows, 1 << 20) : Self.initialCapacity
        buffers = columns.map { ParquetColumnBuffer(column: $0, capacity: capacity, dictionaryBytesLimit: options.dictionaryBytesLimit) }
        try finishPending()
        let job = PendingRowGroup(rows: rows, columns: filled.count)
        let encoder = ParquetChunkEncoder(options: options)
        guard options.parallel else {
            for c in filled.indices { job.results[c] = Result { try encoder.encode(filled[c]) } }
            return try write(job)
        }
        DispatchQueue.global().async {
            // Column chunks encode independently: one per core.
            job.results.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                DispatchQueue.concurrentPerform(iterations: filled.count) { c in
                    out[c] = Result { try encoder.encode(filled[c]) }
                }
            }
            job.done.signal()
        }
        pending = job
    }

    /// Waits for the row group being encoded in the background, if any, and writes it.
    private func finishPending() throws {
        guard let job = pending else { return }
        pending = nil
        job.done.wait()
        try write(job)
    }

    /// Appends an encoded row group's chunks to the file and records where they went.
    private func write(_ job: PendingRowGroup) throws {
        var group = WrittenRowGroup(chunks: [], rows: job.rows, offset: offset, compressedSize: 0, uncompressedSize: 0)
        for (c, result) in job.results.enumerated() {
            guard let result else { throw TarnError(.internal, "a Parquet column chunk was not encoded") }
            var chunk: EncodedColumnChunk
            do { chunk = try result.get() } catch let e as TarnError {
                throw TarnError(e.kind, "\(path): row group \(rowGroups.count), column '\(columns[c].name)': \(e.message)")
            }
            let start = offset
            try writeAll(chunk.bytes)
            chunk.compressedSize = chunk.bytes.count
            chunk.bytes = []  // the footer needs sizes and offsets, not the pages
            group.chunks.append((start, chunk))
            group.compressedSize += chunk.compressedSize
            group.uncompressedSize += chunk.uncompressedSize
            nullCounts[c] += chunk.nullCount
            if let e = chunk.extremes { extremes[c] = extremes[c].map { $0.merged(with: e) } ?? e }
        }
        rowGroups.append(group)
        rowCount += job.rows
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                guard let base = raw.baseAddress else { return }
                let n = systemWrite(descriptor, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw TarnError.io("writing \(temporaryPath) failed (errno \(errno): \(String(cString: strerror(errno))))")
                }
                done += n
            }
        }
        offset += bytes.count
    }

    /// fsync of the folder, so the rename itself survives a crash (best effort).
    private static func syncFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(folder, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); systemClose(fd) }
    }

    // MARK: footer

    private func footerBytes() -> [UInt8] {
        var w = ThriftCompactWriter(capacity: 1024 + rowGroups.count * columns.count * 128)
        w.beginStruct()
        w.i32(1, 1)
        // Schema: the root, then one optional leaf per column.
        w.fieldHeader(2, .list)
        w.listHeader(columns.count + 1, .structure)
        w.beginStruct()
        w.string(4, "schema")
        w.i32(5, Int32(columns.count))
        w.endStruct()
        for c in columns {
            w.beginStruct()
            c.writeSchemaElement(&w)
            w.endStruct()
        }
        w.i64(3, Int64(rowCount))
        w.structList(4, rowGroups) { w, group in
            w.structList(1, Array(group.chunks.enumerated())) { w, item in
                let (c, (start, chunk)) = item
                let column = self.columns[c]
                w.i64(2, Int64(start))
                w.structure(3) { w in
                    w.i32(1, column.physical.rawValue)
                    w.i32List(2, chunk.encodings.map(\.rawValue))
                    w.stringList(3, [column.name])
                    w.i32(4, self.options.compression.fileCodec.rawValue)
                    w.i64(5, Int64(chunk.rows))
                    w.i64(6, Int64(chunk.uncompressedSize))
                    w.i64(7, Int64(chunk.compressedSize))
                    w.i64(9, Int64(start + chunk.dictionaryPageLength))
                    if chunk.dictionaryPageLength > 0 { w.i64(11, Int64(start)) }
                    w.structure(12) { w in
                        let bounds = chunk.extremes?.plainBytes
                        let fits = bounds.map { $0.min.count <= ParquetChunkEncoder.maxStatisticBytes && $0.max.count <= ParquetChunkEncoder.maxStatisticBytes } ?? false
                        // The legacy signed-order min/max only where signed order is the column's order.
                        let legacy = fits && column.physical != .byteArray
                        if legacy, let bounds { w.binary(1, bounds.max); w.binary(2, bounds.min) }
                        w.i64(3, Int64(chunk.nullCount))
                        if fits, let bounds { w.binary(5, bounds.max); w.binary(6, bounds.min) }
                    }
                }
            }
            w.i64(2, Int64(group.uncompressedSize))
            w.i64(3, Int64(group.rows))
            w.i64(5, Int64(group.offset))
            w.i64(6, Int64(group.compressedSize))
            w.fieldHeader(7, .i16)
            w.writeZigzag(Int64(rowGroups.count > Int(Int16.max) ? 0 : rowGroups.firstIndex { $0.offset == group.offset } ?? 0))
        }
        w.string(6, "Tarn")
        // Column orders: every column sorts by its type's order, so readers trust min_value / max_value.
        w.structList(7, columns) { w, _ in w.structure(1) { _ in } }
        w.endStruct()
        return w.bytes
    }
}
