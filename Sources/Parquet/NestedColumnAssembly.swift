import Storage

/// A top-level nested Parquet column (a LIST, a MAP, a STRUCT or a repeated field) that `read_parquet` reads
/// into Tarn's ARRAY, MAP and ROW types: its type, its shape in the schema with the definition levels that
/// say which part of it is present, and the leaves whose levels assemble it (Dremel record assembly).
///
/// Supported: LIST and MAP columns and repeated fields, at the top or inside structs, lists and maps, to any depth
/// (a list of lists, a map in a list, a list in a map value), with primitives and structs inside; and structs of
/// those. Leaves of types Tarn does not read, and lists without one repeated child, are errors naming the column.
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
        func children(_ e: SchemaElement) throws -> Int {
            let n = Int(e.numChildren ?? 0)
            guard n >= 0, n < schema.count else { throw TarnError.corruption("schema element '\(e.name)' claims \(n) children") }
            return n
        }
        /// Takes the next element (at `position`) and returns its shape.
        func node(path: [String], parentDefinition: Int, ignoreRepeated: Bool = false) throws -> (Shape, DataType) {
            guard position < schema.count else { throw TarnError.corruption("the schema tree of column '\(top.name)' is truncated") }
            let e = schema[position]
            position += 1
            let d = parentDefinition + (e.repetition == .required ? 0 : 1)
            let here = path + [e.name]
            let logical = e.logicalType ?? ParquetColumn.legacyLogicalType(e)
            if e.repetition == .repeated && !ignoreRepeated {
                // A bare repeated field is a list of required elements.
                position -= 1
                let first = leaves.count
                let (element, type) = try node(path: path, parentDefinition: parentDefinition, ignoreRepeated: true)
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
            // A LIST-annotated repeated element (legacy `repeated group array (LIST)`) is itself a list.
            if case .list? = logical {
                guard n == 1, position < schema.count, schema[position].repetition == .repeated else {
                    throw TarnError.unsupported("the LIST '\(e.name)' does not have one repeated child")
                }
                let repeated = schema[position]
                let dr = d + 1
                let element: Shape, type: DataType
                let threeLevel = repeated.isGroup && repeated.numChildren == 1 && repeated.name != "array" && repeated.name != "\(e.name)_tuple"
                if threeLevel {
                    position += 1
                    (element, type) = try node(path: here + [repeated.name], parentDefinition: dr)
                } else {
                    // Two-level legacy lists: the repeated node is the element itself.
                    (element, type) = try node(path: here, parentDefinition: d, ignoreRepeated: true)
                }
                return (.list(element, type: .array(type), definition: d, elementDefinition: dr, firstLeaf: first), .array(type))
            }
            if (logical == .map || e.convertedType == .mapKeyValue) && !ignoreRepeated {
                guard n == 1, position < schema.count, schema[position].repetition == .repeated, schema[position].numChildren == 2 else {
                    throw TarnError.unsupported("the MAP '\(e.name)' does not have one repeated (key, value) group")
                }
                let entry = schema[position]
                position += 1
                let dr = d + 1
                let (key, keyType) = try node(path: here + [entry.name], parentDefinition: dr)
                let (value, valueType) = try node(path: here + [entry.name], parentDefinition: dr)
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
                let (s, t) = try node(path: here, parentDefinition: d)
                shapes.append(s)
                fields.append(RowField(name: name, type: t))
            }
            guard leaves.count > first else { throw TarnError.unsupported("the struct '\(e.name)' has no fields") }
            return (.group(shapes, type: .row(fields), definition: d, firstLeaf: first), .row(fields))
        }
        let (shape, type) = try node(path: [], parentDefinition: 0)
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
        let column = try assembler.column(shape, depth: 0, present: 0, count: rows)
        guard column.count == rows else { throw TarnError.corruption("\(location): assembled \(column.count) rows for \(rows)") }
        return (column, bytes)
    }
}

/// Builds columns from leaves' levels (Dremel record assembly). A node at list depth `k` (inside `k` lists) holds one
/// value per element of its innermost enclosing list (per row at depth 0); in every leaf below it, that element is
/// the entry with repetition level at most `k` whose definition level reaches the element (`present`). Entries below
/// that definition level stand for a NULL or empty enclosing list and hold no element at depth `k`.
private struct Assembler {
    let leaves: [ParquetLeaf]
    let leveled: [LeveledColumn]
    let location: String

    init(leaves: [ParquetLeaf], leveled: [LeveledColumn], location: String) throws {
        self.leaves = leaves
        self.leveled = leveled
        self.location = location
        for (leaf, l) in zip(leaves, leveled) {
            let maxD = UInt8(clamping: leaf.column.maxDefinitionLevel)
            var n = 0
            for d in l.definitionLevels where d == maxD { n += 1 }
            guard n == l.values.count else {
                throw TarnError.corruption("\(location): '\(leaf.name)' has \(n) present entries but \(l.values.count) values")
            }
            guard l.repetitionLevels.isEmpty || l.repetitionLevels.count == l.definitionLevels.count else {
                throw TarnError.corruption("\(location): '\(leaf.name)' has \(l.repetitionLevels.count) repetition levels for \(l.definitionLevels.count) definition levels")
            }
        }
    }

    /// The entries of leaf `l` that hold the elements at list depth `depth` (definition level at least `present`).
    func elementEntries(_ l: Int, depth: Int, present: Int, count: Int) throws -> [Int32] {
        let levels = leveled[l]
        var entries: [Int32] = []
        entries.reserveCapacity(count)
        let hasRepetition = !levels.repetitionLevels.isEmpty
        for e in 0..<levels.definitionLevels.count {
            let r = hasRepetition ? Int(levels.repetitionLevels[e]) : 0
            if r <= depth && Int(levels.definitionLevels[e]) >= present { entries.append(Int32(e)) }
        }
        guard entries.count == count else {
            throw TarnError.corruption("\(location): '\(leaves[l].name)' holds \(entries.count) values at nesting depth \(depth) for \(count)")
        }
        return entries
    }

    /// The column of `shape` at list depth `depth`, one value per element there (`count` of them; rows at depth 0).
    func column(_ shape: ParquetNestedColumn.Shape, depth: Int, present: Int, count: Int) throws -> Column {
        switch shape {
        case let .leaf(l):
            guard leaves[l].column.maxRepetitionLevel == depth else {
                throw TarnError.unsupported("\(location): the field '\(leaves[l].name)' repeats \(leaves[l].column.maxRepetitionLevel) times but sits in \(depth) lists")
            }
            let levels = leveled[l]
            let maxD = UInt8(clamping: leaves[l].column.maxDefinitionLevel)
            let hasRepetition = !levels.repetitionLevels.isEmpty
            var indices = [Int32](repeating: 0, count: count)
            var validity = [UInt8](repeating: 1, count: count)
            var anyNull = false
            var k = 0, value: Int32 = 0
            for e in 0..<levels.definitionLevels.count {
                let d = levels.definitionLevels[e]
                let r = hasRepetition ? Int(levels.repetitionLevels[e]) : 0
                if r <= depth && Int(d) >= present {
                    guard k < count else { throw TarnError.corruption("\(location): '\(leaves[l].name)' holds more values than its \(count) slots") }
                    if d == maxD { indices[k] = value } else { validity[k] = 0; anyNull = true }
                    k += 1
                }
                if d == maxD { value += 1 }
            }
            guard k == count else { throw TarnError.corruption("\(location): '\(leaves[l].name)' holds \(k) values for \(count) slots") }
            if levels.values.count == 0 { return Column.nulls(levels.values.type, count: count) }
            var out = levels.values.gather(indices)
            out.validity = anyNull ? validity : nil
            return out
        case let .group(children, type, definition, firstLeaf):
            let levels = leveled[firstLeaf].definitionLevels
            var validity = [UInt8](repeating: 1, count: count)
            var anyNull = false
            for (k, e) in try elementEntries(firstLeaf, depth: depth, present: present, count: count).enumerated()
            where Int(levels[Int(e)]) < definition {
                validity[k] = 0
                anyNull = true
            }
            let columns = try children.map { try column($0, depth: depth, present: present, count: count) }
            return Column(type: type, data: .fields(columns), validity: anyNull ? validity : nil)
        case let .list(element, type, definition, elementDefinition, firstLeaf):
            // Each element at `depth` opens one list; entries repeated at `depth + 1` add elements to it.
            let levels = leveled[firstLeaf]
            let hasRepetition = !levels.repetitionLevels.isEmpty
            var offsets = [Int32](repeating: 0, count: count + 1)
            var validity = [UInt8](repeating: 1, count: count)
            var anyNull = false
            var k = -1, total: Int32 = 0
            var open = false  // whether the latest entry at `depth` or above opened a list with elements
            for e in 0..<levels.definitionLevels.count {
                let d = Int(levels.definitionLevels[e])
                let r = hasRepetition ? Int(levels.repetitionLevels[e]) : 0
                if r <= depth {
                    guard d >= present else { open = false; continue }  // a NULL or empty list further out
                    k += 1
                    guard k < count else { throw TarnError.corruption("\(location): '\(leaves[firstLeaf].name)' holds more lists than their \(count) slots") }
                    offsets[k] = total
                    if d < definition { validity[k] = 0; anyNull = true }
                    open = d >= elementDefinition
                    if open { total += 1 }
                } else if r == depth + 1 {
                    guard open, d >= elementDefinition else {
                        throw TarnError.corruption("\(location): '\(leaves[firstLeaf].name)' continues a list that is NULL, empty or not open (entry \(e))")
                    }
                    total += 1
                }
            }
            guard k + 1 == count else { throw TarnError.corruption("\(location): '\(leaves[firstLeaf].name)' holds \(k + 1) lists for \(count) slots") }
            offsets[count] = total
            let child = try column(element, depth: depth + 1, present: elementDefinition, count: Int(total))
            return Column(type: type, data: .list(offsets: offsets, child: child), validity: anyNull ? validity : nil)
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
