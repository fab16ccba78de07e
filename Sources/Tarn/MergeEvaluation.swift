import Storage

/// One evaluation of a MERGE clause list (`SELECT leading…, per clause: condition, its values… FROM …`) held as
/// columns: per row the leading numbers (target file and row, source row), the first clause whose condition holds,
/// and per clause the values it assigns in the target columns' types, concatenated over the query's batches — so a
/// million matched pairs cost a few column copies instead of a `[Value]` per pair.
struct MergeEvaluation {
    let count: Int
    /// The leading expressions' values per row (row numbers; NULL as -1).
    let leading: [[Int64]]
    /// Per row, the index of the first clause whose condition holds (-1: none).
    let chosen: [Int32]
    /// Per clause, per target column: the values the clause assigns, in the column's type (nil: not assigned).
    let values: [[Column?]]

    /// `columnTypes`: the query's output types; `conditionAt[k]` / `valueAt[k][i]`: the output positions of clause
    /// `k`'s condition and of its value for target column `i`.
    init(batches: [Batch], columnTypes: [DataType], leadingCount: Int, conditionAt: [Int], valueAt: [[Int?]], schema: Schema) {
        let count = batches.reduce(0) { $0 + $1.count }
        self.count = count
        func whole(_ position: Int) -> Column {
            Column.concatenate(batches.map { $0.columns[position] }, type: columnTypes[position])
        }
        leading = (0..<leadingCount).map { Self.integers(whole($0)) }
        var chosen = [Int32](repeating: -1, count: count)
        for k in conditionAt.indices.reversed() {   // the first clause that holds wins: later ones are overwritten
            let holds = Self.truths(whole(conditionAt[k]))
            for r in 0..<count where holds[r] { chosen[r] = Int32(k) }
        }
        self.chosen = chosen
        values = valueAt.map { positions in
            positions.enumerated().map { (i, position) -> Column? in
                guard let position else { return nil }
                let type = schema.fields[i].type
                let parts = batches.map { $0.columns[position] }
                if parts.allSatisfy({ $0.type == type }) { return Column.concatenate(parts, type: type) }
                // The values were cast to the column's type; a batch typed otherwise is converted value by value.
                var builder = ColumnBuilder(type: type, capacity: count)
                for part in parts { for r in 0..<part.count { builder.append(part.value(at: r)) } }
                return builder.finish()
            }
        }
    }

    /// A column of row numbers as Int64s, NULL as -1.
    static func integers(_ column: Column) -> [Int64] {
        var out: [Int64]
        switch column.data {
        case let .int64(a): out = a
        case let .int32(a): out = a.map(Int64.init)
        default: out = (0..<column.count).map { column.value(at: $0).int64Value ?? -1 }
        }
        if let validity = column.validity { for r in out.indices where validity[r] == 0 { out[r] = -1 } }
        return out
    }

    /// Whether each row of a condition column is TRUE (NULL and FALSE are not).
    static func truths(_ column: Column) -> [Bool] {
        var out: [Bool]
        if case let .bool(a) = column.data {
            out = a
        } else {
            out = (0..<column.count).map { column.value(at: $0) == .boolean(true) }
        }
        if let validity = column.validity { for r in out.indices where validity[r] == 0 { out[r] = false } }
        return out
    }

    /// A row of one of several evaluations.
    struct RowReference {
        var evaluation: Int32
        var row: Int32
    }

    /// Target column `column` (of `type`) for rows whose value comes, row by row, from the clause the referenced
    /// evaluation row chose (when that clause assigns the column) or else from `base` (row `j` for reference `j`):
    /// gathered per (evaluation, clause) and put in order with one gather, no `Value` per row.
    static func assemble(_ column: Int, type: DataType, base: Column, references: [RowReference], from evaluations: [MergeEvaluation]) -> Column {
        var partOfClause = evaluations.map { [Int](repeating: -1, count: $0.values.count) }
        var partColumns: [Column] = [base], partRows: [[Int32]] = [[]]
        var partOf = [Int](repeating: 0, count: references.count), position = [Int](repeating: 0, count: references.count)
        for (j, reference) in references.enumerated() {
            let e = Int(reference.evaluation), r = Int(reference.row)
            let k = Int(evaluations[e].chosen[r])
            guard k >= 0, let source = evaluations[e].values[k][column] else {
                position[j] = j
                continue
            }
            var part = partOfClause[e][k]
            if part < 0 {
                part = partColumns.count
                partOfClause[e][k] = part
                partColumns.append(source)
                partRows.append([])
            }
            partOf[j] = part
            position[j] = partRows[part].count
            partRows[part].append(reference.row)
        }
        if partColumns.count == 1 { return base }
        if partColumns.count == 2, partRows[1].count == references.count { return partColumns[1].gather(partRows[1]) }
        var parts = [base], offsets = [0]
        for p in 1..<partColumns.count {
            offsets.append(offsets[p - 1] + parts[p - 1].count)
            parts.append(partColumns[p].gather(partRows[p]))
        }
        let order = references.indices.map { Int32(offsets[partOf[$0]] + position[$0]) }
        return Column.concatenate(parts, type: type).gather(order)
    }
}
