import Storage
import Execution

/// Reads a table function's input operator to the end (the blocking transforms need every row first).
enum InputMaterializer {
    static func readAll(_ op: PhysicalOperator, _ context: ExecutionContext) throws -> [Batch] {
        try op.open(context)
        defer { op.close() }
        var batches: [Batch] = []
        while let b = try op.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { batches.append(b) }
        }
        return batches
    }

    /// Concatenates batches into one (columns flattened from dictionary form).
    static func concatenate(_ batches: [Batch], types: [DataType]) -> Batch {
        if batches.count == 1 { return Batch(columns: batches[0].columns.map { $0.flattened() }, count: batches[0].count) }
        let total = batches.reduce(0) { $0 + $1.count }
        var columns: [Column] = []
        for (c, type) in types.enumerated() {
            columns.append(ColumnConcatenation.concatenate(batches.map { $0.columns[c] }, type: type, total: total))
        }
        return Batch(columns: columns, count: total)
    }
}

/// Appends columns of one type end to end, buffer by buffer.
enum ColumnConcatenation {
    static func concatenate(_ parts: [Column], type: DataType, total: Int) -> Column {
        let hasNulls = parts.contains { $0.validity != nil }
        var validity: [UInt8]? = hasNulls ? [] : nil
        if hasNulls {
            validity?.reserveCapacity(total)
            for p in parts { validity?.append(contentsOf: p.validity ?? [UInt8](repeating: 1, count: p.count)) }
        }
        switch type.physical {
        case .bool:
            var out: [Bool] = []; out.reserveCapacity(total)
            for p in parts { if case let .bool(a) = p.data { out += a } else { out += [Bool](repeating: false, count: p.count) } }
            return Column(type: type, data: .bool(out), validity: validity)
        case .int32:
            var out: [Int32] = []; out.reserveCapacity(total)
            for p in parts { if case let .int32(a) = p.data { out += a } else { out += [Int32](repeating: 0, count: p.count) } }
            return Column(type: type, data: .int32(out), validity: validity)
        case .int128:
            var out: [Int128] = []; out.reserveCapacity(total)
            for p in parts { if case let .int128(a) = p.data { out += a } else { out += [Int128](repeating: 0, count: p.count) } }
            return Column(type: type, data: .int128(out), validity: validity)
        case .int64:
            var out: [Int64] = []; out.reserveCapacity(total)
            for p in parts { if case let .int64(a) = p.data { out += a } else { out += [Int64](repeating: 0, count: p.count) } }
            return Column(type: type, data: .int64(out), validity: validity)
        case .double:
            var out: [Double] = []; out.reserveCapacity(total)
            for p in parts { if case let .double(a) = p.data { out += a } else { out += [Double](repeating: 0, count: p.count) } }
            return Column(type: type, data: .double(out), validity: validity)
        case .string:
            var out = StringArray()
            for p in parts {
                switch p.flattened().data {
                case let .string(s): for i in 0..<s.count { out.append(from: s, at: i) }
                default: for _ in 0..<p.count { out.appendEmpty() }
                }
            }
            return Column(type: type, data: .string(out), validity: validity)
        case .list, .fields: return Column.concatenate(parts, type: type)
        }
    }
}
