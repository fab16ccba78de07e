import Storage

/// A top-level nested Parquet column (a LIST, a MAP, a STRUCT or a repeated field) that `read_parquet` reads
/// into Tarn's ARRAY, MAP and ROW types: its type, its shape in the schema with the definition levels that
/// say which part of it is present, and the leaves whose levels assemble it (Dremel record assembly).
///
/// Supported: one level of repetition — a LIST or MAP column or a repeated field, at the top or inside structs
/// (not inside another list), whose elements are primitives or structs of primitives and structs; and structs of
/// those. Anything deeper (a list inside a list or a map) is an error naming the column.
public struct ParquetNestedColumn: Sendable {
    public var field: Field
    let shape: Shape
    let leaves: [ParquetLeaf]

    /// The part of the column a schema node is, with the definition level an entry reaches when the node is present.
    indirect enum Shape: Sendable {
        /// A primitive: `leaves[leaf]`.
        case leaf(Int)
        /// A struct; NULL where the definition level is below `definition`.
        case group([Shape], type: DataType, definition: Int, firstLeaf: Int)
        /// A list (or map, by `type`): NULL below `definition`, empty at `definition`, an element from `elementDefinition`.
        case list(Shape, type: DataType, definition: Int, elementDefinition: Int, firstLeaf: Int)
    }

    /// The column rooted at `schema[index]` (a child of the root), or nil when it is flat; throws `unsupported` naming
    /// the column for shapes Tarn does not read. `allLeaves` is `ParquetFile.leaves()`.
    static func make(schema: [SchemaElement], index: Int, allLeaves: [ParquetLeaf]) throws -> ParquetNestedColumn? {
        let top = schema[index]
        guard top.isGroup || top.repetition == .repeated else { return nil }
        var leaves: [ParquetLeaf] = []
        var position = index
        func unsupported(_ why: String) -> TarnError {
            TarnError.unsupported("\(why); Tarn reads one level of lists and maps")
        }
        func children(_ e: SchemaElement) throws -> Int {
            let n = Int(e.numChildren ?? 0)
            guard n >= 0, n < schema.count else { throw TarnError.corruption("schema element '\(e.name)' claims \(n) children") }
            return n
        }
        /// Takes the next element (at `position`) and returns its shape; `underList` forbids further repetition.
        func node(path: [String], parentDefinition: Int, underList: Bool, ignoreRepeated: Bool = false) throws -> (Shape, DataType) {
            guard position < schema.count else { throw TarnError.corruption("the schema tree of column '\(top.name)' is truncated") }
            let e = schema[position]
            position += 1
            let d = parentDefinition + (e.repetition == .required ? 0 : 1)
            let here = path + [e.name]
            let logical = e.logicalType ?? ParquetColumn.legacyLogicalType(e)
            if e.repetition == .repeated && !ignoreRepeated {
                // A bare repeated field is a list of required elements.
                if underList { throw unsupported("'\(here.joined(separator: "."))' repeats inside a list") }
                position -= 1
                let first = leaves.count
                let (element, type) = try node(path: path, parentDefinition: parentDefinition, underList: true, ignoreRepeated: true)
                return (.list(element, type: .array(type), definition: parentDefinition, elementDefinition: d, firstLeaf: first), .array(type))
            }
            if !e.isGroup {
                guard let leaf = allLeaves.first(where: { $0.path == here }) else {
                    throw TarnError.unsupported("the field '\(here.joined(separator: "."))' has a type read_parquet does not read")
                }
                leaves.append(leaf)
                return (.leaf(leaves.count - 1), leaf.column.field.type)
            }
            let n = try children(e)
            let first = leaves.count
            if case .list? = logical, !ignoreRepeated {
                if underList { throw unsupported("the list '\(here.joined(separator: "."))' is inside a list") }
                guard n == 1, position < schema.count, schema[position].repetition == .repeated else {
                    throw TarnError.unsupported("the LIST '\(e.name)' does not have one repeated child")
                }
                let repeated = schema[position]
                let dr = d + 1
                let element: Shape, type: DataType
                let threeLevel = repeated.isGroup && repeated.numChildren == 1 && repeated.name != "array" && repeated.name != "\(e.name)_tuple"
                if threeLevel {
                    position += 1
                    (element, type) = try node(path: here + [repeated.name], parentDefinition: dr, underList: true)
                } else {
                    // Two-level legacy lists: the repeated node is the element itself.
                    (element, type) = try node(path: here, parentDefinition: d, underList: true, ignoreRepeated: true)
                }
                return (.list(element, type: .array(type), definition: d, elementDefinition: dr, firstLeaf: first), .array(type))
            }
            if (logical == .map || e.convertedType == .mapKeyValue) && !ignoreRepeated {
                if underList { throw unsupported("the map '\(here.joined(separator: "."))' is inside a list") }
                guard n == 1, position < schema.count, schema[position].repetition == .repeated, schema[position].numChildren == 2 else {
                    throw TarnError.unsupported("the MAP '\(e.name)' does not have one repeated (key, value) group")
                }
                let entry = schema[position]
                position += 1
                let dr = d + 1
                let (key, keyType) = try node(path: here + [entry.name], parentDefinition: dr, underList: true)
                let (value, valueType) = try node(path: here + [entry.name], parentDefinition: dr, underList: true)
                let type = DataType.map(key: keyType, value: valueType)
                let pair = Shape.group([key, value], type: .row(RowField.mapEntry(key: keyType, value: valueType)), definition: dr, firstLeaf: first)
                return (.list(pair, type: type, definition: d, elementDefinition: dr, firstLeaf: first), type)
            }
            // A struct.
            var shapes: [Shape] = []
            var fields: [RowField] = []
            for _ in 0..<n {
                guard position < schema.count else { throw TarnError.corruption("the schema tree of column '\(top.name)' is truncated") }
                let name = schema[position].name
                let (s, t) = try node(path: here, parentDefinition: d, underList: underList)
                shapes.append(s)
                fields.append(RowField(name: name, type: t))
            }
            guard leaves.count > first else { throw TarnError.unsupported("the struct '\(e.name)' has no fields") }
            return (.group(shapes, type: .row(fields), definition: d, firstLeaf: first), .row(fields))
        }
        let (shape, type) = try node(path: [], parentDefinition: 0, underList: false)
        return ParquetNestedColumn(field: Field(name: top.name, type: type, nullable: true), shape: shape, leaves: leaves)
    }
}

extension ParquetNestedColumn {
    /// The column's values for every row of row group `rowGroup` of `file`, and the bytes read.
    func read(_ file: ParquetFile, rowGroup: Int, rows: Int) throws -> (Column, Int) {
        var bytes = 0
        var leveled: [LeveledColumn] = []
        for leaf in leaves {
            let reader = try file.chunkReader(rowGroup: rowGroup, column: leaf.column)
            bytes += reader.byteCount
            leveled.append(try reader.readLeveled())
        }
        let location = "\(file.path): row group \(rowGroup), column '\(field.name)'"
        let assembler = try Assembler(leaves: leaves, leveled: leveled, location: location)
        let column: Column
        switch shape {
        case let .list(element, type, definition, elementDefinition, firstLeaf):
            column = try assembler.list(element, type: type, definition: definition, elementDefinition: elementDefinition,
                                        leaf: firstLeaf, rows: rows)
        default:
            column = try assembler.column(shape, slots: (0..<Int32(rows)).map { $0 }, rows: rows)
        }
        guard column.count == rows else { throw TarnError.corruption("\(location): assembled \(column.count) rows for \(rows)") }
        return (column, bytes)
    }
}

/// Builds columns from leaves' levels; every leaf below one list shares that list's entries, one for one.
private struct Assembler {
    let leaves: [ParquetLeaf]
    let leveled: [LeveledColumn]
    /// `valueIndex[l][e]`: where entry `e` of leaf `l` has its value among the dense present values.
    let valueIndex: [[Int32]]
    let location: String

    init(leaves: [ParquetLeaf], leveled: [LeveledColumn], location: String) throws {
        self.leaves = leaves
        self.leveled = leveled
        self.location = location
        var all: [[Int32]] = []
        for (leaf, l) in zip(leaves, leveled) {
            let maxD = UInt8(clamping: leaf.column.maxDefinitionLevel)
            var index = [Int32](repeating: 0, count: l.definitionLevels.count)
            var n: Int32 = 0
            for (e, d) in l.definitionLevels.enumerated() {
                index[e] = n
                if d == maxD { n += 1 }
            }
            guard Int(n) == l.values.count else {
                throw TarnError.corruption("\(location): '\(leaf.name)' has \(n) present entries but \(l.values.count) values")
            }
            all.append(index)
        }
        valueIndex = all
        // Where each row starts in each leaf (every entry of a leaf outside lists).
        rowStarts = leveled.map { l in
            var starts: [Int32] = []
            starts.reserveCapacity(l.definitionLevels.count)
            for e in 0..<l.definitionLevels.count where e >= l.repetitionLevels.count || l.repetitionLevels[e] == 0 { starts.append(Int32(e)) }
            return starts
        }
    }

    /// `rowStarts[l][r]`: the first entry of row `r` in leaf `l`.
    let rowStarts: [[Int32]]

    /// The leaves below `shape`.
    func leafRange(_ shape: ParquetNestedColumn.Shape) -> [Int] {
        switch shape {
        case let .leaf(l): return [l]
        case let .group(children, _, _, _): return children.flatMap(leafRange)
        case let .list(element, _, _, _, _): return leafRange(element)
        }
    }

    /// A list column from the entries of leaf `leaf` (rows start where the repetition level is 0).
    func list(_ element: ParquetNestedColumn.Shape, type: DataType, definition: Int, elementDefinition: Int, leaf: Int, rows: Int) throws -> Column {
        let levels = leveled[leaf]
        for l in leafRange(element) where leveled[l].definitionLevels.count != levels.definitionLevels.count {
            throw TarnError.corruption("\(location): the fields of a list hold different numbers of entries")
        }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rows + 1)
        var validity = [UInt8](repeating: 1, count: rows)
        var anyNull = false
        var slots: [Int32] = []
        slots.reserveCapacity(levels.definitionLevels.count)
        var row = -1
        for e in 0..<levels.definitionLevels.count {
            let d = Int(levels.definitionLevels[e])
            let r = e < levels.repetitionLevels.count ? levels.repetitionLevels[e] : 0
            if e == 0 && r != 0 { throw TarnError.corruption("\(location): the first entry continues a list (repetition level \(r))") }
            if r == 0 {
                if row >= 0 { offsets.append(Int32(slots.count)) }
                row += 1
                guard row < rows else { throw TarnError.corruption("\(location): more rows than the row group's \(rows)") }
                if d < definition { validity[row] = 0; anyNull = true }
            }
            if d >= elementDefinition { slots.append(Int32(e)) }
        }
        if row >= 0 { offsets.append(Int32(slots.count)) }
        guard row + 1 == rows else { throw TarnError.corruption("\(location): \(row + 1) rows for the row group's \(rows)") }
        let child = try column(element, slots: slots)
        return Column(type: type, data: .list(offsets: offsets, child: child), validity: anyNull ? validity : nil)
    }

    /// The column of `shape` at entries `slots` (all leaves below `shape` have the same entries); with `rows`, the
    /// slots are rows (outside any list), each at its first entry in every leaf.
    func column(_ shape: ParquetNestedColumn.Shape, slots inSlots: [Int32], rows: Int? = nil) throws -> Column {
        var slots = inSlots
        func atRows(_ l: Int) throws {
            guard let rows else { return }
            guard rowStarts[l].count == rows else {
                throw TarnError.corruption("\(location): '\(leaves[l].name)' holds \(rowStarts[l].count) rows for the row group's \(rows)")
            }
            slots = inSlots.map { rowStarts[l][Int($0)] }
        }
        switch shape {
        case let .leaf(l):
            try atRows(l)
            let levels = leveled[l].definitionLevels
            let maxD = UInt8(clamping: leaves[l].column.maxDefinitionLevel)
            let values = leveled[l].values
            var indices = [Int32](repeating: 0, count: slots.count)
            var validity = [UInt8](repeating: 1, count: slots.count)
            var anyNull = false
            for (k, e) in slots.enumerated() {
                if levels[Int(e)] == maxD { indices[k] = valueIndex[l][Int(e)] } else { validity[k] = 0; anyNull = true }
            }
            if values.count == 0 { return Column.nulls(values.type, count: slots.count) }
            var out = values.gather(indices)
            out.validity = anyNull ? validity : nil
            return out
        case let .group(children, type, definition, firstLeaf):
            try atRows(firstLeaf)
            let levels = leveled[firstLeaf].definitionLevels
            var validity = [UInt8](repeating: 1, count: slots.count)
            var anyNull = false
            for (k, e) in slots.enumerated() where Int(levels[Int(e)]) < definition { validity[k] = 0; anyNull = true }
            let columns = try children.map { try column($0, slots: inSlots, rows: rows) }
            return Column(type: type, data: .fields(columns), validity: anyNull ? validity : nil)
        case let .list(element, type, definition, elementDefinition, firstLeaf):
            // A list in a struct outside lists: one list per row (a NULL struct's row reads as a NULL list).
            guard let rows, inSlots.count == rows else { throw TarnError(.internal, "\(location): a list inside a list reached assembly") }
            return try list(element, type: type, definition: definition, elementDefinition: elementDefinition, leaf: firstLeaf, rows: rows)
        }
    }
}

extension ParquetFile {
    /// The deepest nesting `nestedColumns` assembles (the schema tree is walked recursively).
    static let maxNestingDepth = 64

    /// How deep the subtree at `schema[index]` goes (1 for a leaf), counted without recursion; stops past the limit.
    static func depth(_ schema: [SchemaElement], from index: Int) -> Int {
        var remaining: [Int] = [1]  // children left at each open level
        var i = index, deepest = 0
        while let last = remaining.last, i < schema.count {
            if last == 0 { remaining.removeLast(); continue }
            remaining[remaining.count - 1] -= 1
            let n = Int(max(0, schema[i].numChildren ?? 0))
            i += 1
            if n > 0 { remaining.append(n) }
            deepest = max(deepest, remaining.count - (n > 0 ? 0 : 1))
            if deepest > maxNestingDepth { break }
            while remaining.last == 0 { remaining.removeLast() }
            if remaining.isEmpty { break }
        }
        return deepest
    }

    /// The nested top-level columns by name, each readable (`success`) or the error naming what Tarn does not read.
    public func nestedColumns() throws -> [(name: String, column: Result<ParquetNestedColumn, TarnError>)] {
        let schema = metadata.schema
        let children = Int(schema.first?.numChildren ?? 0)
        var out: [(name: String, column: Result<ParquetNestedColumn, TarnError>)] = []
        var allLeaves: [ParquetLeaf]?
        // Assembly (and `leaves()`) recurse over the schema tree: a schema deeper than any real one is refused first.
        let tooDeep = Self.depth(schema, from: 0) > Self.maxNestingDepth
        var i = 1
        for _ in 0..<children {
            guard i < schema.count else { throw TarnError.corruption("\(path): the schema tree is truncated") }
            let e = schema[i]
            if e.isGroup || e.repetition == .repeated {
                // Assembly recurses over the schema tree: a column nested deeper than any real one is refused first.
                if allLeaves == nil && !tooDeep { allLeaves = try leaves() }
                do {
                    if tooDeep { throw TarnError.unsupported("the file's schema is nested more than \(Self.maxNestingDepth) levels deep") }
                    if let c = try ParquetNestedColumn.make(schema: schema, index: i, allLeaves: allLeaves ?? []) {
                        out.append((e.name, .success(c)))
                    }
                } catch let error as TarnError {
                    out.append((e.name, .failure(error)))
                }
            }
            // Skip the whole subtree.
            var pending = 1
            while pending > 0 {
                guard i < schema.count else { throw TarnError.corruption("\(path): the schema tree of column '\(e.name)' is truncated") }
                pending += Int(max(0, schema[i].numChildren ?? 0)) - 1
                i += 1
            }
        }
        return out
    }
}
