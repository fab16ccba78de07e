import Foundation
import Storage
import Parquet

/// `COPY … TO 'folder' (FORMAT parquet, PARTITION_BY (a, b))`: routes each row to the Parquet file of its
/// partition, `folder/a=…/b=…/data_0.parquet` as Hive, Glue and DuckDB lay them out. Partition columns are
/// not stored in the files (the folder names hold them); NULL is `__HIVE_DEFAULT_PARTITION__`; characters that
/// cannot stand in a folder name are percent-encoded. Every file is written atomically by its `ParquetWriter`.
final class HivePartitionedParquetWriter {
    let folder: String
    let columns: [Field]
    let options: ParquetWriteOptions
    /// Positions of the partition columns in `columns`, in PARTITION_BY order.
    private let partitionColumns: [Int]
    /// Positions of the columns stored in the files.
    private let storedColumns: [Int]
    private var partitions: [[Value]: Int] = [:]
    private var writers: [ParquetWriter] = []
    public private(set) var rowsWritten = 0

    static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"
    static let fileName = "data_0.parquet"

    init(folder: String, columns: [Field], partitionBy: [String], options: ParquetWriteOptions, overwrite: Bool, overwriteOrIgnore: Bool) throws {
        self.folder = folder
        self.columns = columns
        self.options = options
        let schema = Schema(columns)
        let partitionColumns = try partitionBy.map { name in
            guard let i = schema.index(of: name) else {
                throw TarnError.semantic("COPY TO: PARTITION_BY column '\(name)' is not in the result (columns: \(columns.map(\.name).joined(separator: ", ")))")
            }
            return i
        }
        self.partitionColumns = partitionColumns
        storedColumns = columns.indices.filter { !partitionColumns.contains($0) }
        guard !storedColumns.isEmpty else { throw TarnError.semantic("COPY TO: PARTITION_BY leaves no column to write into the files") }

        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw TarnError.io("COPY TO: \(folder) is a file; PARTITION_BY writes a folder") }
            let entries = try fm.contentsOfDirectory(atPath: folder)
            if !entries.isEmpty {
                if overwrite {
                    for e in entries { try fm.removeItem(atPath: folder + "/" + e) }
                } else if !overwriteOrIgnore {
                    throw TarnError.io("COPY TO: the folder \(folder) is not empty; add OVERWRITE_OR_IGNORE to write into it or OVERWRITE to replace it")
                }
            }
        } else {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw TarnError.io("COPY TO: cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
    }

    func write(_ batch: Batch) throws {
        // Each row's partition, then one gather per partition present in the batch.
        var rowsOf: [Int: [Int32]] = [:]
        var key = [Value](repeating: .null, count: partitionColumns.count)
        for r in 0..<batch.count {
            for (k, c) in partitionColumns.enumerated() { key[k] = batch.columns[c].value(at: r) }
            let p: Int
            if let existing = partitions[key] { p = existing } else { p = try openPartition(key) }
            rowsOf[p, default: []].append(Int32(r))
        }
        let stored = Batch(columns: storedColumns.map { batch.columns[$0] }, count: batch.count)
        for (p, rows) in rowsOf.sorted(by: { $0.key < $1.key }) {
            try writers[p].write(rows.count == batch.count ? stored : stored.gather(rows))
        }
        rowsWritten += batch.count
    }

    /// Closes every file (renaming each into place); returns the rows written.
    func close() throws -> Int {
        for w in writers { _ = try w.close() }
        return rowsWritten
    }

    /// Deletes every file not closed yet.
    func abandon() { for w in writers { w.abandon() } }

    private func openPartition(_ key: [Value]) throws -> Int {
        var path = folder
        for (k, c) in partitionColumns.enumerated() {
            let text = key[k].isNull ? Self.defaultPartition : Self.escape(key[k].description)
            path += "/" + Self.escape(columns[c].name) + "=" + text
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw TarnError.io("COPY TO: cannot create the folder \(path): \(error.localizedDescription)")
        }
        let writer = try ParquetWriter(path: path + "/" + Self.fileName, columns: storedColumns.map { (columns[$0].name, columns[$0].type) },
                                       options: options)
        writers.append(writer)
        partitions[key] = writers.count - 1
        return writers.count - 1
    }

    /// Percent-encodes what cannot stand in a folder name (`/`, `=`, `%`, control characters…) and the names `.`/`..`.
    static func escape(_ text: String) -> String {
        if text == "." || text == ".." { return text.replacingOccurrences(of: ".", with: "%2E") }
        let special = Set("/\\=%\"'?*:#<>|{}[]^`".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || special.contains(byte) {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
