import Storage

/// Column-level building blocks shared by operators: concatenating batches, gathering rows with
/// "missing" (-1 → NULL) indices, and comparing dictionaries by identity.
enum ColumnAssembly {
    /// Concatenates equally typed columns. Dictionary columns sharing one dictionary stay encoded;
    /// otherwise strings are flattened.
    static func concatenate(_ parts: [Column], type: DataType) -> Column {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return Column(type: type, data: .zeros(type.physical, count: 0)) }
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: [UInt8]? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v = [UInt8]()
            v.reserveCapacity(total)
            for p in parts {
                if let pv = p.validity { v.append(contentsOf: pv) } else { v.append(contentsOf: repeatElement(1, count: p.count)) }
            }
            validity = v
        }
        switch type.physical {
        case .bool:
            var out = [Bool](); out.reserveCapacity(total)
            for p in parts { if case let .bool(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(false, count: p.count)) } }
            return Column(type: type, data: .bool(out), validity: validity)
        case .int32:
            var out = [Int32](); out.reserveCapacity(total)
            for p in parts { if case let .int32(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .int32(out), validity: validity)
        case .int64:
            var out = [Int64](); out.reserveCapacity(total)
            for p in parts { if case let .int64(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .int64(out), validity: validity)
        case .double:
            var out = [Double](); out.reserveCapacity(total)
            for p in parts { if case let .double(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .double(out), validity: validity)
        case .string:
            if case let .dictionary(_, firstDict) = parts[0].data,
               parts.allSatisfy({ if case let .dictionary(_, d) = $0.data { return sameDictionary(d, firstDict) } else { return false } }) {
                var codes = [Int32](); codes.reserveCapacity(total)
                for p in parts { if case let .dictionary(c, _) = p.data { codes.append(contentsOf: c) } }
                return Column(type: type, data: .dictionary(codes: codes, dictionary: firstDict), validity: validity)
            }
            var out = StringArray()
            out.offsets.reserveCapacity(total + 1)
            for p in parts {
                switch p.data {
                case let .string(s):
                    let base = out.bytes.count
                    out.bytes.append(contentsOf: s.bytes[s.offsets[0]..<s.offsets[s.count]])
                    let first = s.offsets[0]
                    for k in 1...max(s.count, 1) where k <= s.count { out.offsets.append(base + s.offsets[k] - first) }
                case let .dictionary(codes, dict):
                    for c in codes { out.append(from: dict, at: Int(c)) }
                default:
                    for _ in 0..<p.count { out.appendEmpty() }
                }
            }
            return Column(type: type, data: .string(out), validity: validity)
        }
    }

    /// Concatenates batches of the given column types into one batch.
    static func concatenate(_ batches: [Batch], types: [DataType]) -> Batch {
        if batches.count == 1 { return batches[0] }
        let count = batches.reduce(0) { $0 + $1.count }
        let cols = types.indices.map { c in concatenate(batches.map { $0.columns[c] }, type: types[c]) }
        return Batch(columns: cols, count: count)
    }

    /// Rows at `indices`, where a negative index produces NULL.
    static func gatherOptional(_ column: Column, _ indices: [Int32]) -> Column {
        var hasMissing = false
        for i in indices where i < 0 { hasMissing = true; break }
        if !hasMissing { return column.gather(indices) }
        let safe = indices.map { $0 < 0 ? 0 : $0 }
        if column.count == 0 { return Column.nulls(column.type, count: indices.count) }
        var g = column.gather(safe)
        var v = g.validity ?? [UInt8](repeating: 1, count: indices.count)
        for k in 0..<indices.count where indices[k] < 0 { v[k] = 0 }
        g.validity = v
        return g
    }

    /// True when two string arrays share their storage (the same dictionary flowing through a scan).
    static func sameDictionary(_ a: StringArray, _ b: StringArray) -> Bool {
        guard a.offsets.count == b.offsets.count, a.bytes.count == b.bytes.count else { return false }
        let o = a.offsets.withUnsafeBufferPointer { x in b.offsets.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        let by = a.bytes.withUnsafeBufferPointer { x in b.bytes.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        return o && by
    }

    /// Splits a batch into batches of at most `size` rows.
    static func split(_ batch: Batch, size: Int = Batch.defaultSize) -> [Batch] {
        if batch.count <= size { return batch.count == 0 ? [] : [batch] }
        var out = [Batch]()
        var lo = 0
        while lo < batch.count {
            let hi = min(lo + size, batch.count)
            out.append(batch.slice(lo..<hi))
            lo = hi
        }
        return out
    }
}
