import Storage

/// Column-level building blocks shared by operators: concatenating batches, gathering rows with
/// "missing" (-1 → NULL) indices, and comparing dictionaries by identity.
enum ColumnAssembly {
    /// Concatenates equally typed columns (see `Column.concatenate`).
    static func concatenate(_ parts: [Column], type: DataType) -> Column {
        Column.concatenate(parts, type: type)
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

    /// True when two string arrays share their storage (see `StringArray.sharesStorage`).
    static func sameDictionary(_ a: StringArray, _ b: StringArray) -> Bool { a.sharesStorage(with: b) }

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
