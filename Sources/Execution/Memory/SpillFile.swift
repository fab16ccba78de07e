#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Storage

/// Batches appended to a compressed temporary file (a Tarn data file: zstd column chunks, no fsync), then read
/// back in the same order, any number of passes. Made by `SpillDirectory.newFile`; deleted by `delete()`, by the
/// directory's `removeAll()` at the end of the statement, or on deinit.
public final class SpillFile: @unchecked Sendable {
    public let types: [DataType]
    public let path: String
    /// Rows per row group by default, so a reader holds one such group at a time.
    public static let rowsPerGroup = 16_384
    private weak var directory: SpillDirectory?
    private var writer: DataFileWriter?
    private var rows = 0
    /// Row counts of appended batches when there are no columns (nothing to write; counts alone are the data).
    private var zeroColumnCounts: [Int] = []
    private var finished = false
    private var deleted = false
    /// Bytes on disk once writing finished.
    public private(set) var byteSize = 0

    init(path: String, types: [DataType], directory: SpillDirectory, rowsPerGroup: Int) throws {
        self.path = path
        self.types = types
        self.directory = directory
        if !types.isEmpty {
            var options = WriterOptions()
            options.rowGroupSize = min(rowsPerGroup, 1 << 20)
            options.compressionLevel = 1
            options.durable = false
            options.distinctCounts = false
            // NULL-typed columns are all-NULL INTEGER columns; stored as INTEGER, given back their type on read.
            let fields = types.enumerated().map { Field(name: "c\($0.offset)", type: $0.element == .null ? .integer : $0.element) }
            writer = try DataFileWriter(path: path, schema: Schema(fields), options: options)
        }
    }

    deinit { delete() }

    /// Rows appended so far.
    public var rowCount: Int { rows }

    /// Appends `batch` (its columns must have this file's types).
    public func append(_ batch: Batch) throws {
        guard !finished, !deleted else { throw TarnError(.internal, "spill file \(path): append after finishWriting or delete") }
        guard batch.count > 0 else { return }
        rows += batch.count
        guard let writer else { zeroColumnCounts.append(batch.count); return }
        guard batch.columns.count == types.count else {
            throw TarnError(.internal, "spill file \(path): batch of \(batch.columns.count) columns, the file has \(types.count)")
        }
        var stored = batch
        for i in stored.columns.indices where stored.columns[i].type == .null { stored.columns[i].type = .integer }
        try writer.append(stored)
    }

    /// Flushes and closes the file; required before `makeReader()`.
    public func finishWriting() throws {
        guard !finished else { return }
        finished = true
        if let writer {
            do {
                byteSize = try writer.finish().byteSize
            } catch {
                writer.abandon()
                throw error
            }
            self.writer = nil
        }
        directory?.finished(self, bytes: byteSize)
    }

    /// A reader from the first batch (any number of readers, one after the other or side by side).
    public func makeReader() throws -> SpillReader {
        guard finished, !deleted else { throw TarnError(.internal, "spill file \(path): read before finishWriting or after delete") }
        if types.isEmpty { return SpillReader(types: types, file: nil, zeroColumnCounts: zeroColumnCounts) }
        return SpillReader(types: types, file: try DataFileReader(path: path), zeroColumnCounts: [])
    }

    /// Deletes the file from disk (idempotent).
    public func delete() {
        guard !deleted else { return }
        deleted = true
        writer?.abandon()
        writer = nil
        unlink(path)
        directory?.forget(self)
    }
}

/// Reads a `SpillFile`'s batches in the order they were appended (one row group of at most
/// `SpillFile.rowsPerGroup` rows at a time).
public final class SpillReader {
    public let types: [DataType]
    private let file: DataFileReader?
    private let zeroColumnCounts: [Int]
    private var position = 0

    init(types: [DataType], file: DataFileReader?, zeroColumnCounts: [Int]) {
        self.types = types
        self.file = file
        self.zeroColumnCounts = zeroColumnCounts
    }

    /// The next batch, nil at the end.
    public func next() throws -> Batch? {
        guard let file else {
            guard position < zeroColumnCounts.count else { return nil }
            defer { position += 1 }
            return Batch(columns: [], count: zeroColumnCounts[position])
        }
        guard position < file.rowGroups.count else { return nil }
        var batch = try file.readRowGroup(position)
        position += 1
        for i in batch.columns.indices where types[i] == .null { batch.columns[i].type = .null }
        return batch
    }
}
