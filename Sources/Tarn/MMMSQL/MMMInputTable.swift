import Storage
import Execution
import Planner

/// A table-function input relation read into memory (model inputs are small: one row per period).
struct MMMInputTable {
    let fields: [Field]
    let columns: [Column]
    let rowCount: Int
    let function: String
    /// The input's rows held whole while the model fits, accounted to the query's `memory_limit` (given back when
    /// the table goes away).
    let reservation: MemoryReservation

    init(_ input: TableFunctionInput, context: ExecutionContext, function: String) throws {
        let op = try input.makeOperator.make()
        try op.open(context)
        defer { op.close() }
        let reservation = MemoryReservation(context.memory, owner: "\(function)() input")
        var batches: [Batch] = []
        while let b = try op.next() {
            try context.progress.checkCancelled()
            try reservation.grow(by: b.estimatedBytes)
            if b.count > 0 { batches.append(b) }
        }
        fields = input.columns
        rowCount = batches.reduce(0) { $0 + $1.count }
        columns = try fields.indices.map { i in
            var builder = ColumnBuilder(type: input.columns[i].type, capacity: batches.reduce(0) { $0 + $1.count })
            for b in batches { for r in 0..<b.count { builder.append(b.columns[i].value(at: r)) } }
            let column = builder.finish()
            try reservation.grow(by: column.estimatedBytes)
            return column
        }
        self.function = function
        try reservation.resize(to: columns.reduce(0) { $0 + $1.estimatedBytes })
        self.reservation = reservation
    }

    func index(of name: String, argument: String) throws -> Int {
        let lower = name.lowercased()
        guard let i = fields.firstIndex(where: { $0.name.lowercased() == lower }) else {
            throw TarnError.semantic("\(function)(): argument '\(argument)' names column '\(name)', which the input does not have (columns: \(fields.map(\.name).joined(separator: ", ")))")
        }
        return i
    }

    /// The named numeric column as doubles, in `order`; NULL or non-numeric values are errors naming the column.
    func doubles(_ name: String, argument: String, order: [Int]) throws -> [Double] {
        let i = try index(of: name, argument: argument)
        guard fields[i].type.isNumeric else {
            throw TarnError.semantic("\(function)(): column '\(name)' (argument '\(argument)') must be numeric, not \(fields[i].type)")
        }
        return try order.map { r in
            guard let d = columns[i].value(at: r).doubleValue else {
                throw TarnError.execution("\(function)(): column '\(name)' is NULL in input row \(r + 1)")
            }
            return d
        }
    }

    /// The named text column, row by row; NULL or non-text values are errors naming the column.
    func strings(_ name: String, argument: String) throws -> [String] {
        let i = try index(of: name, argument: argument)
        return try (0..<rowCount).map { r in
            guard case let .varchar(text) = columns[i].value(at: r) else {
                throw TarnError.execution("\(function)(): column '\(name)' must be text and not NULL (input row \(r + 1))")
            }
            return text
        }
    }

    /// Row order sorted by the named column (the period), and that column's values in that order.
    func sortedPeriods(_ name: String, argument: String) throws -> (order: [Int], type: DataType, values: [Value]) {
        let i = try index(of: name, argument: argument)
        let values = (0..<rowCount).map { columns[i].value(at: $0) }
        if let r = values.firstIndex(where: \.isNull) { throw TarnError.execution("\(function)(): column '\(name)' is NULL in input row \(r + 1)") }
        let order = (0..<rowCount).sorted { a, b in Self.less(values[a], values[b]) || (!Self.less(values[b], values[a]) && a < b) }
        for k in 1..<max(order.count, 1) where !Self.less(values[order[k - 1]], values[order[k]]) {
            throw TarnError.execution("\(function)(): period '\(values[order[k]])' appears more than once in column '\(name)' (one row per period is needed; aggregate first)")
        }
        return (order, fields[i].type, order.map { values[$0] })
    }

    static func less(_ a: Value, _ b: Value) -> Bool {
        if let x = a.int64Value, let y = b.int64Value { return x < y }
        if let x = a.doubleValue, let y = b.doubleValue { return x < y }
        return a.description < b.description
    }
}
