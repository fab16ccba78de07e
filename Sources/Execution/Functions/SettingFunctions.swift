import Storage

/// `current_setting(name)` (PostgreSQL / DuckDB): the value of a session setting the statement runs under, as text —
/// `TimeZone` (also `time_zone`), `threads`, `memory_limit`, `max_recursion_depth`, `dialect`, `division_by_zero`,
/// `integer_overflow`. An unknown name is an error naming it.
enum SettingFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("current_setting", deterministic: false, [Overload([.varchar], .varchar) { a, n, ctx in
                try RowwiseKernels.strings(a, n) { x, i in try value(of: x.string(0, i), ctx.settings) }
            }]),
        ]
    }

    static func value(of name: String, _ s: SessionSettings) throws -> String {
        switch name.lowercased() {
        case "timezone", "time_zone", "time zone": return s.timeZone.name
        case "threads": return String(s.threads)
        case "memory_limit", "max_memory": return MemorySize.format(s.memoryLimit)
        case "max_recursion_depth": return String(s.maxRecursionDepth)
        case "dialect": return s.sqliteCompatible ? "sqlite" : "trino"
        case "division_by_zero": return s.divisionByZeroIsNull ? "null" : "error"
        case "integer_overflow": return s.overflowIsError ? "error" : "promote"
        default: throw TarnError(.execution, "current_setting: unknown setting '\(name)'")
        }
    }
}
