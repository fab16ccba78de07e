import Storage

/// Builds one batch from rows picked out of several source batches of the same types (a k-way merge's output):
/// `sources[picks[i]]` row `rows[i]` becomes output row i. One typed loop per column; string sources must be
/// plain (`.string`) or dictionary columns (flattened by the caller or here).
enum InterleavedGather {
    static func gather(_ sources: [Batch], picks: [Int32], rows: [Int32], types: [DataType]) -> Batch {
        let n = picks.count
        var columns: [Column] = []
        columns.reserveCapacity(types.count)
        for (c, type) in types.enumerated() {
            let parts = sources.map { $0.columns[c] }
            var validity: [UInt8]? = nil
            if parts.contains(where: { $0.validity != nil }) {
                var v = [UInt8](repeating: 1, count: n)
                let masks = parts.map(\.validity)
                for i in 0 ..< n { if let m = masks[Int(picks[i])] { v[i] = m[Int(rows[i])] } }
                validity = v
            }
            let data: ColumnData
            switch type.physical {
            case .bool:
                let arrays = parts.map { if case let .bool(a) = $0.data { return a } else { return [Bool](repeating: false, count: $0.count) } }
                data = .bool((0 ..< n).map { arrays[Int(picks[$0])][Int(rows[$0])] })
            case .int32:
                let arrays = parts.map { if case let .int32(a) = $0.data { return a } else { return [Int32](repeating: 0, count: $0.count) } }
                data = .int32(gatherFixed(arrays, picks: picks, rows: rows))
            case .int64:
                let arrays = parts.map { if case let .int64(a) = $0.data { return a } else { return [Int64](repeating: 0, count: $0.count) } }
                data = .int64(gatherFixed(arrays, picks: picks, rows: rows))
            case .int128:
                let arrays = parts.map { if case let .int128(a) = $0.data { return a } else { return [Int128](repeating: 0, count: $0.count) } }
                data = .int128(gatherFixed(arrays, picks: picks, rows: rows))
            case .double:
                let arrays = parts.map { if case let .double(a) = $0.data { return a } else { return [Double](repeating: 0, count: $0.count) } }
                data = .double(gatherFixed(arrays, picks: picks, rows: rows))
            case .string:
                let arrays = parts.map { part -> StringArray in
                    switch part.data {
                    case let .string(s): return s
                    case .dictionary: if case let .string(s) = part.flattened().data { return s } else { return StringArray() }
                    default: return StringArray((0 ..< part.count).map { _ in "" })
                    }
                }
                var out = StringArray()
                var total = 0
                for i in 0 ..< n { total += arrays[Int(picks[i])].length(at: Int(rows[i])) }
                out.reserve(strings: n, bytes: total)
                for i in 0 ..< n { out.append(from: arrays[Int(picks[i])], at: Int(rows[i])) }
                data = .string(out)
            case .list, .fields:
                // Arrays and rows: each source gathers the rows picked from it, then one gather puts them in output order
                // (work proportional to the output, not to the sources' size).
                var rowsBySource = [[Int32]](repeating: [], count: parts.count)
                var slot = [Int32](repeating: 0, count: n)
                for i in 0 ..< n {
                    let p = Int(picks[i])
                    slot[i] = Int32(rowsBySource[p].count)
                    rowsBySource[p].append(rows[i])
                }
                var bases = [Int32](repeating: 0, count: parts.count)
                var pieces: [Column] = []
                var total: Int32 = 0
                for (p, part) in parts.enumerated() where !rowsBySource[p].isEmpty {
                    bases[p] = total
                    var piece = part.gather(rowsBySource[p])
                    piece.validity = nil
                    pieces.append(piece)
                    total += Int32(rowsBySource[p].count)
                }
                let order = (0 ..< n).map { bases[Int(picks[$0])] + slot[$0] }
                data = Column.concatenate(pieces, type: type).gather(order).data
            }
            columns.append(Column(type: type, data: data, validity: validity))
        }
        return Batch(columns: columns, count: n)
    }

    /// `sources[picks[i]][rows[i]]` for every i: one loop over the sources' base addresses (no array
    /// indexing, bounds checks or reference counting per row).
    private static func gatherFixed<T>(_ sources: [[T]], picks: [Int32], rows: [Int32]) -> [T] {
        let n = picks.count
        var bases = [UnsafePointer<T>?](repeating: nil, count: sources.count)
        return withExtendedLifetime(sources) {
            // The sources are alive and unchanged through this call: their storage stays where it is.
            for (k, source) in sources.enumerated() { bases[k] = source.withUnsafeBufferPointer { $0.baseAddress } }
            return [T](unsafeUninitializedCapacity: n) { out, initialized in
                bases.withUnsafeBufferPointer { base in
                    picks.withUnsafeBufferPointer { p in
                        rows.withUnsafeBufferPointer { r in
                            for i in 0 ..< n {
                                // invariant: picks[i] names a source holding row rows[i] (the merge picked it from there)
                                out.initializeElement(at: i, to: base[Int(p[i])]![Int(r[i])])
                            }
                        }
                    }
                }
                initialized = n
            }
        }
    }
}
