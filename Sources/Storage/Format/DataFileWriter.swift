#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// Writes one immutable Tarn data file (see docs/FORMAT.md): row groups of column chunks and a footer.
/// Appended rows are buffered until `WriterOptions.rowGroupSize` rows, then each column is encoded and written.
/// A full row group is encoded in the background, its columns on all cores, while the caller fills the next one
/// (at most one group is pending); the file's bytes are written on the caller's thread, in order.
public final class DataFileWriter {
    public let path: String
    public let schema: Schema
    private let options: WriterOptions
    private let fieldIds: [Int32]
    private var descriptor: Int32
    private var offset = 0
    private var accumulators: [ColumnAccumulator]
    /// One sketch per column over all row groups; nil for columns that cannot be sketched (nested types).
    private var sketches: [DistinctSketch?]
    private var bufferedRows = 0
    private var rowGroups: [RowGroupMetadata] = []
    private let chunkEncoder: ColumnChunkEncoder
    private var finished = false
    /// The row group being encoded in the background, if any.
    private var pending: PendingRowGroup?
    /// Row groups smaller than this are encoded on the caller's thread (a dispatch costs more than they do).
    static let backgroundEncodingRows = 8_192

    /// A row group handed to the background: its columns in, their chunks out. The sketches travel with it, so only
    /// one thread touches them at a time (the writer waits for the group before it encodes another or finishes).
    private final class PendingRowGroup: @unchecked Sendable {
        let rows: Int
        let columns: [Column]
        var sketches: [DistinctSketch?]
        var chunks: [EncodedChunk?]
        let done = DispatchSemaphore(value: 0)
        init(rows: Int, columns: [Column], sketches: [DistinctSketch?]) {
            self.rows = rows
            self.columns = columns
            self.sketches = sketches
            chunks = [EncodedChunk?](repeating: nil, count: columns.count)
        }

        /// Sketches and encodes every column: on all cores when `parallel` (each column on one thread), else in order.
        func encode(with encoder: ColumnChunkEncoder, parallel: Bool) {
            let columns = self.columns
            chunks.withUnsafeMutableBufferPointer { chunkBuffer in
                sketches.withUnsafeMutableBufferPointer { sketchBuffer in
                    nonisolated(unsafe) let chunks = chunkBuffer, sketches = sketchBuffer
                    let one: @Sendable (Int) -> Void = { index in
                        sketches[index]?.add(columns[index])
                        chunks[index] = encoder.encode(columns[index])
                    }
                    if parallel {
                        DispatchQueue.concurrentPerform(iterations: columns.count, execute: one)
                    } else {
                        for index in columns.indices { one(index) }
                    }
                }
            }
        }
    }

    public init(path: String, schema: Schema, options: WriterOptions = WriterOptions()) throws {
        self.path = path
        self.schema = schema
        self.options = options
        for field in schema.fields where field.type.containsRowOrMap && DataType.parse(field.type.description) != field.type {
            throw TarnError.semantic("column '\(field.name)' has type \(field.type), which cannot be written (at most \(DataType.maxTypeNesting) levels of nesting)")
        }
        for field in schema.fields where DataTypeTag.arrayDepth(field.type) > DataTypeTag.maxArrayDepth {
            throw TarnError.semantic("column '\(field.name)' has type \(field.type): at most \(DataTypeTag.maxArrayDepth) levels of arrays can be written")
        }
        guard options.rowGroupSize >= 1, options.rowGroupSize <= DataFileLayout.maxRowGroupRows else {
            throw TarnError(.internal, "data file writer: row group size \(options.rowGroupSize) out of range")
        }
        if let ids = options.fieldIds {
            guard ids.count == schema.count else {
                throw TarnError(.internal, "data file writer: \(ids.count) field ids for \(schema.count) fields")
            }
            fieldIds = ids
        } else {
            fieldIds = (0 ..< schema.count).map { Int32($0) }
        }
        accumulators = schema.fields.map { ColumnAccumulator(type: $0.type) }
        sketches = schema.fields.map {
            !options.distinctCounts || $0.type.physical == .list || $0.type.physical == .fields ? nil : DistinctSketch()
        }
        chunkEncoder = ColumnChunkEncoder(compressor: ZstdCompressor(level: options.compressionLevel))
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw TarnError.io("\(path): cannot create data file: \(String(cString: strerror(errno)))") }
        var header = ByteWriter(capacity: DataFileLayout.headerSize)
        header.write(bytes: DataFileLayout.magic)
        header.write(DataFileLayout.formatVersion)
        header.write(UInt16(0))
        do { try write(header.bytes) } catch { abandon(); throw error }
    }

    deinit {
        pending?.done.wait()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Rows appended and not yet written plus rows already written.
    public var rowCount: Int { rowGroups.reduce(bufferedRows + (pending?.rows ?? 0)) { $0 + $1.rowCount } }

    /// Adds rows; full row groups are encoded and written as they fill.
    public func append(_ batch: Batch) throws {
        guard !finished, descriptor >= 0 else { throw TarnError(.internal, "\(path): append after finish or abandon") }
        guard batch.columns.count == schema.count else {
            throw TarnError(.internal, "\(path): batch has \(batch.columns.count) columns, the file schema \(schema.count)")
        }
        for column in batch.columns where column.count != batch.count {
            throw TarnError(.internal, "\(path): batch column of \(column.count) rows in a batch of \(batch.count)")
        }
        var start = 0
        while start < batch.count {
            let take = Swift.min(options.rowGroupSize - bufferedRows, batch.count - start)
            for (index, column) in batch.columns.enumerated() {
                try accumulators[index].append(column, rows: start ..< start + take)
            }
            bufferedRows += take
            start += take
            if bufferedRows == options.rowGroupSize { try flushRowGroup() }
        }
    }

    /// Flushes the last row group, writes the footer, fsyncs and closes the file.
    public func finish() throws -> DataFileSummary {
        guard !finished, descriptor >= 0 else { throw TarnError(.internal, "\(path): finish called twice or after abandon") }
        if bufferedRows > 0 { try flushRowGroup() }
        try finishPending()
        let infos = rowGroups.map { RowGroupInfo(rowCount: $0.rowCount, columns: $0.chunks.map(\.statistics)) }
        var fileStatistics = (0 ..< schema.count).map { c in ColumnStatisticsMerger.merge(infos.map { $0.columns[c] }) }
        for c in fileStatistics.indices {
            guard let sketch = sketches[c] else { continue }
            fileStatistics[c].distinctCount = Swift.min(sketch.estimate, fileStatistics[c].rowCount - fileStatistics[c].nullCount)
        }
        let footer = DataFileFooter(schema: schema, fieldIds: fieldIds, rowGroups: rowGroups,
                                    distinctCounts: fileStatistics.map(\.distinctCount)).serialized()
        guard footer.count <= Int(UInt32.max) else { throw TarnError(.internal, "\(path): footer too large") }
        var trailer = ByteWriter(capacity: footer.count + DataFileLayout.trailerSize)
        trailer.write(bytes: footer)
        trailer.write(UInt32(footer.count))
        trailer.write(XXHash64.hash(footer))
        trailer.write(bytes: DataFileLayout.magic)
        try write(trailer.bytes)
        guard !options.durable || fsync(descriptor) == 0 else { throw TarnError.io("\(path): fsync failed: \(String(cString: strerror(errno)))") }
        close(descriptor)
        descriptor = -1
        finished = true
        return DataFileSummary(path: path, rowCount: infos.reduce(0) { $0 + $1.rowCount }, byteSize: offset,
                               rowGroups: infos, columnStatistics: fileStatistics)
    }

    /// Closes and deletes a partly written file.
    public func abandon() {
        if let job = pending { job.done.wait(); pending = nil }
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        if !finished { unlink(path) }
        finished = true
    }

    /// Takes the buffered rows as a row group: encoded in the background when large (after the previous group is
    /// written), else here.
    private func flushRowGroup() throws {
        let rows = bufferedRows
        let columns = accumulators.indices.map { accumulators[$0].take() }
        bufferedRows = 0
        try finishPending()
        let job = PendingRowGroup(rows: rows, columns: columns, sketches: sketches)
        sketches = []
        let encoder = chunkEncoder
        guard rows >= Self.backgroundEncodingRows, columns.count > 0 else {
            job.encode(with: encoder, parallel: false)
            return try write(job)
        }
        pending = job
        // A thread of its own, not a libdispatch worker: a writer may be fed from a worker (a spilling operator in
        // a parallel pipeline), and a worker waiting for a block queued behind it on a busy pool could wait long.
        // Its concurrentPerform always progresses, since the calling thread takes iterations too.
        let thread = Thread {
            job.encode(with: encoder, parallel: columns.count > 1)
            job.done.signal()
        }
        thread.name = "tarn-encode"
        thread.start()
    }

    /// Waits for the row group being encoded in the background, if any, and writes it.
    private func finishPending() throws {
        guard let job = pending else { return }
        pending = nil
        job.done.wait()
        try write(job)
    }

    /// Writes an encoded row group's chunks and records them; the sketches come back to the writer.
    private func write(_ job: PendingRowGroup) throws {
        sketches = job.sketches
        var chunks: [ColumnChunkMetadata] = []
        chunks.reserveCapacity(job.chunks.count)
        for (index, encoded) in job.chunks.enumerated() {
            guard let chunk = encoded else { throw TarnError(.internal, "\(path): column \(index) of a row group was not encoded") }
            chunks.append(ColumnChunkMetadata(offset: offset, storedLength: chunk.stored.count, payloadLength: chunk.payloadLength,
                                              encoding: chunk.encoding, compression: chunk.compression,
                                              checksum: chunk.checksum, statistics: chunk.statistics))
            try write(chunk.stored)
        }
        rowGroups.append(RowGroupMetadata(rowCount: job.rows, chunks: chunks))
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                #if canImport(Glibc)
                let n = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                #else
                let n = Darwin.write(descriptor, raw.baseAddress! + done, raw.count - done)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TarnError.io("\(path): write failed: \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
        offset += bytes.count
    }
}
