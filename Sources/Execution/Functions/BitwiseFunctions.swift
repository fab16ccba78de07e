import Storage

/// Trino's bitwise functions over BIGINT (`<<`, `>>`, `&`, `|` in the SQLite dialect map to these).
enum BitwiseFunctions {
    static var definitions: [FunctionDefinition] {
        [
            binary("bitwise_and") { $0 & $1 },
            binary("bitwise_or") { $0 | $1 },
            binary("bitwise_xor") { $0 ^ $1 },
            // Shifts by 64 or more give 0 (SQLite and Trino agree); negative shifts reverse direction as in SQLite.
            binary("bitwise_left_shift") { v, n in n >= 64 || n <= -64 ? 0 : (n >= 0 ? v << n : v >> -n) },
            binary("bitwise_right_shift") { v, n in n >= 64 || n <= -64 ? (v < 0 && n > 0 ? -1 : 0) : (n >= 0 ? v >> n : v << -n) },
            FunctionDefinition("bitwise_not", [Overload([.bigint], .bigint) { args, count, _ in
                map(args[0], nil, count) { a, _ in ~a }
            }]),
        ]
    }

    private static func binary(_ name: String, _ op: @escaping @Sendable (Int64, Int64) -> Int64) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.bigint, .bigint], .bigint) { args, count, _ in map(args[0], args[1], count, op) }])
    }

    /// Applies `op` row by row over one or two BIGINT columns; NULL in gives NULL out.
    private static func map(_ a: Column, _ b: Column?, _ count: Int, _ op: (Int64, Int64) -> Int64) -> Column {
        guard case let .int64(x) = a.data else { return Column.nulls(.bigint, count: count) }
        var y: [Int64] = []
        if let b { guard case let .int64(v) = b.data else { return Column.nulls(.bigint, count: count) }; y = v }
        var out = [Int64](repeating: 0, count: count)
        var validity: [UInt8]? = nil
        if a.validity != nil || b?.validity != nil {
            var v = [UInt8](repeating: 1, count: count)
            for i in 0..<count where a.isNull(i) || (b?.isNull(i) ?? false) { v[i] = 0 }
            validity = v
        }
        for i in 0..<count { out[i] = op(x[i], b == nil ? 0 : y[i]) }
        return Column(type: .bigint, data: .int64(out), validity: validity)
    }
}
