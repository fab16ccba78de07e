import Storage

/// A leaf column anywhere in a Parquet schema, nested in structs, lists or maps, with the levels that say at which
/// depth an entry stops. `read_parquet` reads only flat files; this is the lower-level access readers of nested
/// files (a Delta Lake checkpoint) assemble rows from.
public struct ParquetLeaf: Sendable {
    /// Names from the root's child down to the leaf (`["add", "partitionValues", "key_value", "key"]`).
    public var path: [String]
    /// The leaf mapped to a Tarn type, with its maximum definition and repetition levels.
    public var column: ParquetColumn
    /// `definitionLevels[i]`: the definition level an entry reaches when `path[i]` is present
    /// (required elements add nothing, optional and repeated ones one each).
    public var definitionLevels: [Int]
    /// `repetitionLevels[i]`: the repetition level of `path[i]` (repeated elements add one).
    public var repetitionLevels: [Int]

    /// The dotted path (`add.partitionValues.key_value.key`).
    public var name: String { path.joined(separator: ".") }
}

/// One nested leaf's whole column chunk: a definition and a repetition level per entry, and the present values
/// (entries at the maximum definition level) densely, in order.
public struct LeveledColumn: Sendable {
    public var definitionLevels: [UInt8]
    public var repetitionLevels: [UInt8]
    public var values: Column
}

extension ParquetFile {
    /// Every leaf of the schema whose type maps to a Tarn type, in column chunk order; leaves of other types are
    /// left out (asking for one by name then finds nothing).
    public func leaves() throws -> [ParquetLeaf] {
        let schema = metadata.schema
        var out: [ParquetLeaf] = []
        var position = 1
        var leafIndex = 0
        func walk(children: Int, path: [String], definition: [Int], repetition: [Int]) throws {
            for _ in 0..<children {
                guard position < schema.count else { throw TarnError.corruption("\(self.path): the schema tree is truncated") }
                let e = schema[position]
                position += 1
                let d = (definition.last ?? 0) + (e.repetition == .required ? 0 : 1)
                let r = (repetition.last ?? 0) + (e.repetition == .repeated ? 1 : 0)
                if e.isGroup {
                    let n = Int(e.numChildren ?? 0)
                    guard n >= 0, n < schema.count else { throw TarnError.corruption("\(self.path): group '\(e.name)' claims \(n) children") }
                    try walk(children: n, path: path + [e.name], definition: definition + [d], repetition: repetition + [r])
                } else {
                    defer { leafIndex += 1 }
                    guard var column = try? ParquetColumn(index: leafIndex, element: e) else { continue }
                    column.maxDefinitionLevel = d
                    column.maxRepetitionLevel = r
                    out.append(ParquetLeaf(path: path + [e.name], column: column, definitionLevels: definition + [d],
                                           repetitionLevels: repetition + [r]))
                }
            }
        }
        try walk(children: Int(schema.first?.numChildren ?? 0), path: [], definition: [], repetition: [])
        return out
    }

    /// Reads the chunk of `leaf` in row group `rowGroup` whole, with its levels.
    public func readLeaf(_ leaf: ParquetLeaf, rowGroup: Int) throws -> LeveledColumn {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else { throw TarnError(.internal, "\(path): no row group \(rowGroup)") }
        let group = metadata.rowGroups[rowGroup]
        if group.numRows == 0 {
            return LeveledColumn(definitionLevels: [], repetitionLevels: [], values: Column.nulls(leaf.column.field.type, count: 0))
        }
        return try chunkReader(rowGroup: rowGroup, column: leaf.column).readLeveled()
    }
}
