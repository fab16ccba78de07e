import Storage

/// Assembles one column from pieces computed on disjoint subsets of rows (CASE branches, COALESCE
/// operands). Each piece holds the target row numbers and a column aligned with them; rows no piece
/// covers are NULL.
enum ColumnScatter {
    struct Piece {
        /// Target rows, ascending; `nil` means every row `0..<count` in order.
        var rows: [Int32]?
        var column: Column
    }

    static func assemble(_ pieces: [Piece], count n: Int, type: DataType) throws -> Column {
        // A single piece covering every row is the answer as is.
        if pieces.count == 1, pieces[0].rows == nil {
            let c = pieces[0].column
            if c.type == .null { return Column.nulls(type, count: n) }
            return c.type == type ? c : Column(type: type, data: c.data, validity: c.validity)
        }
        var validity = [UInt8](repeating: 0, count: n)
        let live = pieces.filter { $0.column.type != .null && !ColumnKernels.allNull($0.column) }
        for p in live {
            guard p.column.type.physical == type.physical else {
                throw TarnError(.internal, "a CASE/COALESCE branch of type \(p.column.type) does not match \(type)")
            }
            validity.withUnsafeMutableBufferPointer { out in
                let pieceValidity = p.column.validity
                if let rows = p.rows {
                    rows.withUnsafeBufferPointer { pr in
                        if let pv = pieceValidity { for k in 0..<pr.count { out[Int(pr[k])] = pv[k] } }
                        else { for k in 0..<pr.count { out[Int(pr[k])] = 1 } }
                    }
                } else if let pv = pieceValidity {
                    for k in 0..<pv.count { out[k] = pv[k] }
                } else {
                    for k in 0..<p.column.count { out[k] = 1 }
                }
            }
        }
        let data: ColumnData
        switch type.physical {
        case .bool: data = .bool(try scatterFixed(live, n, false) { c in try ColumnKernels.bools(c) })
        case .int32: data = .int32(try scatterFixed(live, n, 0) { c in try ColumnKernels.int32s(c) })
        case .int64: data = .int64(try scatterFixed(live, n, 0) { c in try ColumnKernels.int64s(c) })
        case .double: data = .double(try scatterFixed(live, n, 0) { c in try ColumnKernels.doubles(c) })
        case .int128: data = .int128(try scatterFixed(live, n, 0) { c in try ColumnKernels.int128s(c) })
        case .string: data = .string(try scatterStrings(live, n))
        case .list, .fields: return scatterRows(live, n, type: type)
        }
        return Column(type: type, data: data, validity: ColumnKernels.normalized(validity))
    }

    /// Arrays: row by row through `Value`s (CASE over arrays is rare; the buffers stay contiguous).
    private static func scatterRows(_ live: [Piece], _ n: Int, type: DataType) -> Column {
        var source = [(piece: Int, row: Int)?](repeating: nil, count: n)
        for (index, p) in live.enumerated() { forEachRow(p) { target, k in source[target] = (index, k) } }
        var builder = ColumnBuilder(type: type, capacity: n)
        for target in 0..<n {
            if let s = source[target] { builder.append(live[s.piece].column.value(at: s.row)) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    private static func forEachRow(_ p: Piece, _ body: (Int, Int) -> Void) {
        if let rows = p.rows {
            for (k, r) in rows.enumerated() { body(Int(r), k) }
        } else {
            for k in 0..<p.column.count { body(k, k) }
        }
    }

    private static func scatterFixed<T>(_ pieces: [Piece], _ n: Int, _ zero: T, _ values: (Column) throws -> [T]) throws -> [T] {
        var out = [T](repeating: zero, count: n)
        try out.withUnsafeMutableBufferPointer { po in
            for p in pieces {
                let v = try values(p.column)
                v.withUnsafeBufferPointer { pv in
                    if let rows = p.rows {
                        rows.withUnsafeBufferPointer { pr in for k in 0..<pr.count { po[Int(pr[k])] = pv[k] } }
                    } else {
                        for k in 0..<pv.count { po[k] = pv[k] }
                    }
                }
            }
        }
        return out
    }

    private static func scatterStrings(_ pieces: [Piece], _ n: Int) throws -> StringArray {
        // For every target row: which piece and which row inside it supplies the string.
        var pieceOf = [Int32](repeating: -1, count: n)
        var rowOf = [Int32](repeating: 0, count: n)
        for (pi, p) in pieces.enumerated() {
            forEachRow(p) { target, source in pieceOf[target] = Int32(pi); rowOf[target] = Int32(source) }
        }
        var readers: [StringColumnReader] = []
        for p in pieces { readers.append(try StringColumnReader(p.column)) }
        var out = StringArray()
        out.reserve(strings: n, bytes: n * 8)
        for i in 0..<n {
            let pi = Int(pieceOf[i])
            if pi < 0 { out.appendEmpty(); continue }
            let r = readers[pi]
            out.append(from: r.strings, at: r.index(Int(rowOf[i])))
        }
        return out
    }
}
