import Storage

/// Compares rows of evaluated sort-key columns by index, without boxing values.
///
/// Integer-like keys (and booleans) are widened to Int64; dictionary strings are replaced by the rank of
/// their code in the byte-wise sorted dictionary, so they compare as integers; plain strings compare
/// byte-wise; doubles order NaN above every number.
struct RowComparator {
    enum KeyData {
        case integers([Int64])
        case doubles([Double])
        case strings(StringArray)
    }

    struct Key {
        var data: KeyData
        var validity: [UInt8]?
        var ascending: Bool
        var nullsFirst: Bool
    }

    let keys: [Key]

    init(columns: [Column], keys sortKeys: [SortKey]) {
        keys = zip(columns, sortKeys).map { column, key in
            Key(data: Self.keyData(column), validity: column.validity, ascending: key.ascending, nullsFirst: key.nullsFirst)
        }
    }

    static func keyData(_ c: Column) -> KeyData {
        switch c.data {
        case let .bool(v): return .integers(v.map { $0 ? 1 : 0 })
        case let .int32(v): return .integers(v.map { Int64($0) })
        case let .int64(v): return .integers(v)
        case let .double(v): return .doubles(v)
        case let .string(s): return .strings(s)
        case let .dictionary(codes, dict):
            let order = (0..<dict.count).sorted { dict.compare($0, dict, $1) < 0 }
            var rank = [Int64](repeating: 0, count: dict.count)
            var r: Int64 = 0
            for (k, code) in order.enumerated() {
                if k > 0 && dict.compare(order[k - 1], dict, code) != 0 { r += 1 }
                rank[code] = r
            }
            return .integers(codes.map { rank[Int($0)] })
        }
    }

    /// Negative when row `i` sorts before row `j`, 0 when they tie on every key.
    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int {
        for k in keys {
            let ni = k.validity.map { $0[i] == 0 } ?? false
            let nj = k.validity.map { $0[j] == 0 } ?? false
            if ni || nj {
                if ni && nj { continue }
                return ni == k.nullsFirst ? -1 : 1
            }
            var c: Int
            switch k.data {
            case let .integers(v): c = v[i] == v[j] ? 0 : (v[i] < v[j] ? -1 : 1)
            case let .doubles(v):
                let a = v[i], b = v[j]
                if a.isNaN || b.isNaN { c = a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1) } else { c = a == b ? 0 : (a < b ? -1 : 1) }
            case let .strings(s): c = s.compare(i, s, j)
            }
            if c != 0 { return k.ascending ? c : -c }
        }
        return 0
    }

    /// A stable sorting permutation of rows `0..<count`.
    func sortedPermutation(_ count: Int) -> [Int32] {
        var perm = (0..<Int32(count)).map { $0 }
        perm.sort { a, b in
            let c = compare(Int(a), Int(b))
            return c != 0 ? c < 0 : a < b
        }
        return perm
    }
}

/// Collects all batches of an operator into one (materialising operators: sort, window, build sides).
enum OperatorInput {
    static func drain(_ op: PhysicalOperator, _ context: ExecutionContext) throws -> Batch {
        var parts: [Batch] = []
        while let b = try op.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { parts.append(b) }
        }
        if parts.isEmpty {
            return Batch(columns: op.outputTypes.map { Column(type: $0, data: .zeros($0.physical, count: 0)) }, count: 0)
        }
        return ColumnAssembly.concatenate(parts, types: op.outputTypes)
    }
}
