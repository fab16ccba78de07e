import Storage

/// Row-at-a-time kernels for functions no hot path calls (statistical distributions, string distances, ISO-8601
/// text…): each argument is read per row as text, integer, double or boolean, and the result is built into a typed
/// column. A row with a NULL argument gives NULL without calling the body; a body returning nil gives NULL too.
enum RowwiseKernels {
    /// The argument columns of one call, readable per row by their declared types.
    struct Arguments {
        private let readers: [StringColumnReader?]
        private let integers: [[Int64]?]
        private let doubles: [[Double]?]
        private let booleans: [[Bool]?]
        let validity: [UInt8]?

        init(_ columns: [Column], _ n: Int) throws {
            readers = try columns.map { $0.type == .varchar ? try StringColumnReader($0) : nil }
            integers = try columns.map { c in
                switch c.type {
                case .integer, .bigint, .date, .timestamp, .timestampTZ: return try ColumnKernels.int64s(c)
                default: return nil
                }
            }
            doubles = try columns.map { $0.type == .double ? try ColumnKernels.doubles($0) : nil }
            booleans = try columns.map { $0.type == .boolean ? try ColumnKernels.bools($0) : nil }
            let nullArguments = columns.filter { $0.type == .null }.map { _ in [UInt8](repeating: 0, count: n) as [UInt8]? }
            validity = ColumnKernels.intersect(columns.map(\.validity) + nullArguments)
        }

        func string(_ k: Int, _ row: Int) -> String { readers[k]?.string(row) ?? "" }
        func int(_ k: Int, _ row: Int) -> Int64 { integers[k]?[row] ?? 0 }
        func double(_ k: Int, _ row: Int) -> Double { doubles[k]?[row] ?? 0 }
        func bool(_ k: Int, _ row: Int) -> Bool { booleans[k]?[row] ?? false }
        func isNull(_ row: Int) -> Bool { (validity?[row] ?? 1) == 0 }
    }

    static func doubles(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> Double?) throws -> Column {
        let (values, validity) = try evaluate(columns, n, placeholder: 0.0, body)
        return Column(type: .double, data: .double(values), validity: validity)
    }

    static func integers(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> Int64?) throws -> Column {
        let (values, validity) = try evaluate(columns, n, placeholder: Int64(0), body)
        return Column(type: .bigint, data: .int64(values), validity: validity)
    }

    static func booleans(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> Bool?) throws -> Column {
        let (values, validity) = try evaluate(columns, n, placeholder: false, body)
        return Column(type: .boolean, data: .bool(values), validity: validity)
    }

    /// TIMESTAMP results (microseconds since the epoch, UTC).
    static func timestamps(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> Int64?) throws -> Column {
        let (values, validity) = try evaluate(columns, n, placeholder: Int64(0), body)
        return Column(type: .timestamp, data: .int64(values), validity: validity)
    }

    /// DATE results (days since 1970-01-01).
    static func dates(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> Int64?) throws -> Column {
        let (values, validity) = try evaluate(columns, n, placeholder: Int32(0)) { arguments, row -> Int32? in
            guard let days = try body(arguments, row) else { return nil }
            guard let narrow = Int32(exactly: days) else { throw TarnError(.execution, "date out of range (\(days) days from 1970-01-01)") }
            return narrow
        }
        return Column(type: .date, data: .int32(values), validity: validity)
    }

    static func strings(_ columns: [Column], _ n: Int, _ body: (Arguments, Int) throws -> String?) throws -> Column {
        let arguments = try Arguments(columns, n)
        var out = StringArray()
        var validity = arguments.validity ?? [UInt8](repeating: 1, count: n)
        for row in 0..<n {
            if validity[row] != 0, let s = try body(arguments, row) { out.append(s) } else { out.appendEmpty(); validity[row] = 0 }
        }
        return Column(type: .varchar, data: .string(out), validity: ColumnKernels.normalized(validity))
    }

    private static func evaluate<T>(_ columns: [Column], _ n: Int, placeholder: T,
                                    _ body: (Arguments, Int) throws -> T?) throws -> ([T], [UInt8]?) {
        let arguments = try Arguments(columns, n)
        var values = [T](repeating: placeholder, count: n)
        var validity = arguments.validity ?? [UInt8](repeating: 1, count: n)
        for row in 0..<n where validity[row] != 0 {
            if let v = try body(arguments, row) { values[row] = v } else { validity[row] = 0 }
        }
        return (values, ColumnKernels.normalized(validity))
    }
}
