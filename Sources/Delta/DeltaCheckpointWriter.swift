import Foundation
import Storage
import Parquet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a classic single-file Parquet checkpoint (`NNN.checkpoint.parquet`) and `_last_checkpoint`: one row for
/// the protocol, one for the metadata, one per live file, in the columns of Delta's checkpoint schema (structs, the
/// `partitionValues` / `configuration` maps and the `partitionColumns` list).
enum DeltaCheckpointWriter {
    /// Levels and values of one leaf, row after row.
    private struct Leaf {
        var definition: [UInt8] = []
        var repetition: [UInt8] = []
        var values: [Value] = []

        /// A row that is not this leaf's action.
        mutating func absent() { definition.append(0); repetition.append(0) }
        /// A scalar of the row's action: `top` is the leaf's maximum level; nil (an optional leaf) is one below.
        mutating func scalar(_ v: Value?, top: UInt8) {
            repetition.append(0)
            if let v { definition.append(top); values.append(v) } else { definition.append(top - 1) }
        }
        /// The entries of a map's keys or values, or a list's elements: `container` is the level of the (present,
        /// empty) map or list; `top` the leaf's maximum level (an entry whose value is nil is one below).
        mutating func entries(_ items: [Value?], container: UInt8, top: UInt8) {
            if items.isEmpty { definition.append(container); repetition.append(0); return }
            for (i, item) in items.enumerated() {
                repetition.append(i == 0 ? 0 : 1)
                if let item { definition.append(top); values.append(item) } else { definition.append(top - 1) }
            }
        }
        var column: ParquetLeafValues { ParquetLeafValues(definitionLevels: definition, repetitionLevels: repetition, values: values) }
    }

    static let schema: [ParquetNode] = {
        func string(_ name: String, _ r: Repetition = .required) -> ParquetNode { .leaf(name: name, repetition: r, type: .varchar) }
        func map(_ name: String) -> ParquetNode {
            .group(name: name, repetition: .required, annotation: .map, children: [
                .group(name: "key_value", repetition: .repeated, annotation: .none, children: [string("key"), string("value", .optional)]),
            ])
        }
        return [
            .group(name: "add", repetition: .optional, annotation: .none, children: [
                string("path"), map("partitionValues"),
                .leaf(name: "size", repetition: .required, type: .bigint),
                .leaf(name: "modificationTime", repetition: .required, type: .bigint),
                .leaf(name: "dataChange", repetition: .required, type: .boolean),
                string("stats", .optional),
            ]),
            .group(name: "remove", repetition: .optional, annotation: .none, children: [
                string("path"),
                .leaf(name: "deletionTimestamp", repetition: .optional, type: .bigint),
                .leaf(name: "dataChange", repetition: .required, type: .boolean),
            ]),
            .group(name: "metaData", repetition: .optional, annotation: .none, children: [
                string("id"),
                .group(name: "format", repetition: .required, annotation: .none, children: [string("provider"), map("options")]),
                string("schemaString"),
                .group(name: "partitionColumns", repetition: .required, annotation: .list, children: [
                    .group(name: "list", repetition: .repeated, annotation: .none, children: [string("element")]),
                ]),
                map("configuration"),
                .leaf(name: "createdTime", repetition: .optional, type: .bigint),
            ]),
            .group(name: "protocol", repetition: .optional, annotation: .none, children: [
                .leaf(name: "minReaderVersion", repetition: .required, type: .integer),
                .leaf(name: "minWriterVersion", repetition: .required, type: .integer),
            ]),
        ]
    }()

    /// Writes the checkpoint of `version` (protocol, metadata, live files) into `logFolder`, then `_last_checkpoint`.
    static func write(logFolder: String, version: Int64, protocolAction: DeltaProtocol, metadata: DeltaMetadata,
                      files: [DeltaAddFile], modificationTime: Int64) throws {
        // Rows: the protocol, the metadata, then the files.
        let rows = 2 + files.count
        var leaves = [Leaf](repeating: Leaf(), count: 20)
        for row in 0..<rows {
            let add: DeltaAddFile? = row >= 2 ? files[row - 2] : nil
            // add: path, partitionValues.key, partitionValues.value, size, modificationTime, dataChange, stats
            if let add {
                let keys = add.partitionValues.keys.sorted()
                leaves[0].scalar(.varchar(add.path), top: 1)
                leaves[1].entries(keys.map { .varchar($0) }, container: 1, top: 2)
                leaves[2].entries(keys.map { k in (add.partitionValues[k] ?? nil).map { .varchar($0) } }, container: 1, top: 3)
                leaves[3].scalar(.bigint(add.size), top: 1)
                leaves[4].scalar(.bigint(modificationTime), top: 1)
                leaves[5].scalar(.boolean(false), top: 1)
                leaves[6].scalar(add.stats.map { .varchar($0) }, top: 2)
            } else {
                for k in 0...6 { leaves[k].absent() }
            }
            // remove: path, deletionTimestamp, dataChange (no tombstones are kept)
            for k in 7...9 { leaves[k].absent() }
            // metaData: id, format.provider, format.options.key/value, schemaString, partitionColumns.list.element,
            // configuration.key/value, createdTime
            if row == 1 {
                let config = metadata.configuration.keys.sorted()
                leaves[10].scalar(.varchar(metadata.id), top: 1)
                leaves[11].scalar(.varchar("parquet"), top: 1)
                leaves[12].entries([], container: 1, top: 2)
                leaves[13].entries([], container: 1, top: 3)
                leaves[14].scalar(.varchar(metadata.schemaString), top: 1)
                leaves[15].entries(metadata.partitionColumns.map { .varchar($0) }, container: 1, top: 2)
                leaves[16].entries(config.map { .varchar($0) }, container: 1, top: 2)
                leaves[17].entries(config.map { k in metadata.configuration[k].map { .varchar($0) } }, container: 1, top: 3)
                leaves[18].scalar(metadata.createdTime.map { .bigint($0) }, top: 2)
            } else {
                for k in 10...18 { leaves[k].absent() }
            }
            // protocol: minReaderVersion, minWriterVersion
            if row == 0 {
                leaves[19].scalar(.integer(Int32(protocolAction.minReaderVersion)), top: 1)
            } else {
                leaves[19].absent()
            }
        }
        var writerLeaf = Leaf()
        for row in 0..<rows {
            if row == 0 { writerLeaf.scalar(.integer(Int32(protocolAction.minWriterVersion)), top: 1) } else { writerLeaf.absent() }
        }
        let columns = leaves.map(\.column) + [writerLeaf.column]
        let name = String(DeltaLog.commitName(version).dropLast(".json".count)) + ".checkpoint.parquet"
        try ParquetNestedWriter.write(path: logFolder + "/" + name, schema: schema, rows: rows, columns: columns)
        let last = "{\"version\":\(version),\"size\":\(rows)}"
        let lastPath = logFolder + "/_last_checkpoint"
        let temporary = lastPath + ".tmp-" + UUID().uuidString.prefix(8).lowercased()
        guard FileManager.default.createFile(atPath: temporary, contents: Data(last.utf8)) else { throw TarnError.io("cannot write \(temporary)") }
        guard rename(temporary, lastPath) == 0 else {
            unlink(temporary)
            throw TarnError.io("cannot write \(lastPath) (errno \(errno))")
        }
    }
}
