import Storage
import Parquet

/// Reads a Parquet checkpoint (`NNN.checkpoint.parquet`, or the parts of a multi-part one): the protocol, the
/// metadata and the live `add` actions of the table at the checkpoint's version. The checkpoint's columns are
/// structs, lists and maps; their leaves are read with `ParquetFile.leaves()` and put back together here.
enum DeltaCheckpoint {
    struct State {
        var protocolAction: DeltaProtocol?
        var metadata: DeltaMetadata?
        var adds: [DeltaAddFile] = []
    }

    static func read(parts: [String]) throws -> State {
        var state = State()
        for part in parts { try read(part, into: &state) }
        return state
    }

    private static func read(_ path: String, into state: inout State) throws {
        let file = try ParquetFile(path: path)
        let leaves = try file.leaves()
        for group in 0..<file.metadata.rowGroups.count {
            let rows = Int(file.metadata.rowGroups[group].numRows)
            let columns = LeafColumns(file: file, leaves: leaves, rowGroup: group, rows: rows)
            // add
            let addPath = try columns.scalars("add.path")
            if addPath.contains(where: { !$0.isNull }) {
                let keys = try columns.lists("add.partitionValues.key_value.key")
                let values = try columns.lists("add.partitionValues.key_value.value")
                let sizes = try columns.scalars("add.size")
                let stats = try columns.scalars("add.stats")
                let dv = try columns.present("add.deletionVector.storageType")
                for r in 0..<rows {
                    guard case let .varchar(path) = addPath[r] else { continue }
                    var partitionValues: [String: String?] = [:]
                    for (k, v) in zip(keys[r], values[r]) {
                        if case let .varchar(key) = k { partitionValues[key] = v.isNull ? String?.none : v.description }
                    }
                    state.adds.append(DeltaAddFile(path: path, partitionValues: partitionValues, size: sizes[r].int64Value ?? 0,
                                                   stats: stats[r].isNull ? nil : stats[r].description, hasDeletionVector: dv[r]))
                }
            }
            // metaData
            let schema = try columns.scalars("metaData.schemaString")
            if let r = schema.firstIndex(where: { !$0.isNull }) {
                let ids = try columns.scalars("metaData.id")
                let partitionColumns = try columns.lists("metaData.partitionColumns.list.element")
                let configKeys = try columns.lists("metaData.configuration.key_value.key")
                let configValues = try columns.lists("metaData.configuration.key_value.value")
                let created = try columns.scalars("metaData.createdTime")
                var configuration: [String: String] = [:]
                for (k, v) in zip(configKeys[r], configValues[r]) where !k.isNull && !v.isNull { configuration[k.description] = v.description }
                state.metadata = DeltaMetadata(id: ids[r].isNull ? "" : ids[r].description, schemaString: schema[r].description,
                                               partitionColumns: partitionColumns[r].map(\.description), configuration: configuration,
                                               createdTime: created[r].int64Value)
            }
            // protocol
            let reader = try columns.scalars("protocol.minReaderVersion")
            if let r = reader.firstIndex(where: { !$0.isNull }) {
                let writer = try columns.scalars("protocol.minWriterVersion")
                let readerFeatures = try columns.lists("protocol.readerFeatures.list.element")
                let writerFeatures = try columns.lists("protocol.writerFeatures.list.element")
                let readerPresent = try columns.present("protocol.readerFeatures.list.element", depth: 1)
                let writerPresent = try columns.present("protocol.writerFeatures.list.element", depth: 1)
                state.protocolAction = DeltaProtocol(
                    minReaderVersion: Int(reader[r].int64Value ?? 1), minWriterVersion: Int(writer[r].int64Value ?? 2),
                    readerFeatures: readerPresent[r] ? readerFeatures[r].map(\.description) : nil,
                    writerFeatures: writerPresent[r] ? writerFeatures[r].map(\.description) : nil)
            }
        }
    }
}

/// The leaves of one row group of a checkpoint, turned back into one value (or one list) per row.
private struct LeafColumns {
    let file: ParquetFile
    let leaves: [ParquetLeaf]
    let rowGroup: Int
    let rows: Int

    /// The leaf `add.partitionValues.key_value.key` and the like: by its exact path, or for maps and lists written
    /// with other names for the repeated group (`map`, `bag`, `array`), by the same first two names and leaf name.
    func leaf(_ name: String) -> ParquetLeaf? {
        if let exact = leaves.first(where: { $0.name == name }) { return exact }
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count > 3 else { return nil }
        let alias = ["key": ["key"], "value": ["value"], "element": ["element", "item", "array"]][parts[parts.count - 1]] ?? [parts[parts.count - 1]]
        return leaves.first { l in
            l.path.count == parts.count && Array(l.path.prefix(2)) == Array(parts.prefix(2)) && alias.contains(l.path[l.path.count - 1])
        }
    }

    /// A leaf outside any repeated group: its value per row, NULL where it or a parent is absent.
    /// A leaf the checkpoint does not have reads as NULL everywhere.
    func scalars(_ name: String) throws -> [Value] {
        guard let leaf = leaf(name) else { return [Value](repeating: .null, count: rows) }
        guard leaf.column.maxRepetitionLevel == 0 else { throw TarnError.corruption("\(file.path): checkpoint column '\(name)' is repeated") }
        let data = try file.readLeaf(leaf, rowGroup: rowGroup)
        guard data.definitionLevels.count == rows else {
            throw TarnError.corruption("\(file.path): checkpoint column '\(name)' has \(data.definitionLevels.count) entries for \(rows) rows")
        }
        let top = UInt8(leaf.column.maxDefinitionLevel)
        var out: [Value] = []
        out.reserveCapacity(rows)
        var j = 0
        for d in data.definitionLevels {
            if d == top {
                guard j < data.values.count else { throw TarnError.corruption("\(file.path): checkpoint column '\(name)' has too few values") }
                out.append(data.values.value(at: j))
                j += 1
            } else {
                out.append(.null)
            }
        }
        return out
    }

    /// Whether the element at `depth` of the leaf's path (the last group, by default) is present in each row.
    func present(_ name: String, depth: Int? = nil) throws -> [Bool] {
        guard let leaf = leaf(name) else { return [Bool](repeating: false, count: rows) }
        let data = try file.readLeaf(leaf, rowGroup: rowGroup)
        let level = UInt8(leaf.definitionLevels[depth ?? max(0, leaf.path.count - 2)])
        var out: [Bool] = []
        out.reserveCapacity(rows)
        for (d, r) in zip(data.definitionLevels, data.repetitionLevels) where r == 0 { out.append(d >= level) }
        guard out.count == rows else { throw TarnError.corruption("\(file.path): checkpoint column '\(name)' has \(out.count) rows, expected \(rows)") }
        return out
    }

    /// A leaf under one repeated group (a list element, a map key or value): its entries per row, NULL for an
    /// entry whose value is absent; an empty list where the row has no entries.
    func lists(_ name: String) throws -> [[Value]] {
        guard let leaf = leaf(name) else { return [[Value]](repeating: [], count: rows) }
        guard leaf.column.maxRepetitionLevel == 1, let repeatedDepth = leaf.repetitionLevels.firstIndex(of: 1) else {
            throw TarnError.corruption("\(file.path): checkpoint column '\(name)' is not a list or map")
        }
        let entryLevel = UInt8(leaf.definitionLevels[repeatedDepth])
        let top = UInt8(leaf.column.maxDefinitionLevel)
        let data = try file.readLeaf(leaf, rowGroup: rowGroup)
        var out: [[Value]] = []
        out.reserveCapacity(rows)
        var j = 0
        for (d, r) in zip(data.definitionLevels, data.repetitionLevels) {
            if r == 0 { out.append([]) }
            guard d >= entryLevel, !out.isEmpty else { continue }
            if d == top {
                guard j < data.values.count else { throw TarnError.corruption("\(file.path): checkpoint column '\(name)' has too few values") }
                out[out.count - 1].append(data.values.value(at: j))
                j += 1
            } else {
                out[out.count - 1].append(.null)
            }
        }
        guard out.count == rows else { throw TarnError.corruption("\(file.path): checkpoint column '\(name)' has \(out.count) rows, expected \(rows)") }
        return out
    }
}
