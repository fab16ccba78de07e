import Storage
import Execution

/// The settings `SET name = value` accepts, with their meaning (documented in docs/SQL.md).
enum SessionSettingsCatalog {
    static let names = ["schema", "search_path", "dialect", "division_by_zero", "threads", "integer_overflow", "max_recursion_depth",
                        "memory_limit", "temp_directory", "timezone"]

    static func apply(_ name: String, _ value: Value, to session: Session) throws {
        let text = value.description.lowercased()
        switch name {
        case "schema", "search_path":
            let schema = value.description.lowercased()
            guard try session.lake.schemaExists(schema) else { throw TarnError.semantic("schema '\(schema)' does not exist") }
            session.currentSchema = schema
        case "dialect":
            switch text {
            case "sqlite":
                session.settings.sqliteCompatible = true
                session.settings.divisionByZeroIsNull = true
            case "trino", "athena", "default":
                session.settings.sqliteCompatible = false
                session.settings.divisionByZeroIsNull = false
            default: throw TarnError.semantic("unknown dialect '\(text)'; expected 'trino' or 'sqlite'")
            }
        case "division_by_zero":
            switch text {
            case "null": session.settings.divisionByZeroIsNull = true
            case "error": session.settings.divisionByZeroIsNull = false
            default: throw TarnError.semantic("division_by_zero must be 'error' or 'null'")
            }
        case "integer_overflow":
            switch text {
            case "error": session.settings.overflowIsError = true
            case "double", "promote": session.settings.overflowIsError = false
            default: throw TarnError.semantic("integer_overflow must be 'error' or 'promote'")
            }
        case "threads":
            guard let n = value.int64Value, n >= 1, n <= 256 else { throw TarnError.semantic("threads must be between 1 and 256") }
            session.settings.threads = Int(n)
        case "max_recursion_depth":
            guard let n = value.int64Value, n >= 1, n <= 10_000_000 else { throw TarnError.semantic("max_recursion_depth must be between 1 and 10000000") }
            session.settings.maxRecursionDepth = Int(n)
        case "memory_limit", "max_memory":
            session.settings.memoryLimit = try memoryLimit(value)
            // The process-wide cache of compressed column chunks keeps to an eighth of the limit (it is not
            // accounted per statement; left at 1/8 of RAM it alone could pass a small limit).
            ChunkPayloadCache.shared.lowerBudget(to: session.settings.memoryLimit / 8)
        case "temp_directory":
            let path = value.description
            guard !value.isNull, !path.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TarnError.semantic("temp_directory must name a folder, e.g. SET temp_directory = '/tmp/tarn-spill'")
            }
            session.settings.tempDirectory = path
        case "timezone", "time_zone", "time zone":
            session.settings.timeZone = try TimeZoneRules.require(value.description)
        default:
            throw TarnError.semantic("unknown setting '\(name)'" + suggestion(name))
        }
    }

    /// Bytes of a `memory_limit` value: a size text (`'2GB'`, `'512MiB'`), a number of bytes, or `'unlimited'` / `-1`.
    static func memoryLimit(_ value: Value) throws -> Int {
        if let n = value.int64Value, case .bigint = value {
            if n == -1 { return Int.max }
            guard n >= 1 else { throw TarnError.semantic("memory_limit must be at least 1 byte (or -1 for unlimited)") }
            return Int(n)
        }
        let text = value.description.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "unlimited" || text == "-1" || text == "none" { return Int.max }
        return try MemorySize.parse(value.description, setting: "memory_limit")
    }

    /// The current value of a setting as text (what `current_setting(name)` shows); nil for an unknown name.
    static func current(_ name: String, of session: Session) -> String? {
        let s = session.settings
        switch name.lowercased() {
        case "schema", "search_path": return session.currentSchema
        case "dialect": return s.sqliteCompatible ? "sqlite" : "trino"
        case "division_by_zero": return s.divisionByZeroIsNull ? "null" : "error"
        case "integer_overflow": return s.overflowIsError ? "error" : "promote"
        case "threads": return String(s.threads)
        case "max_recursion_depth": return String(s.maxRecursionDepth)
        case "memory_limit", "max_memory": return MemorySize.format(s.memoryLimit)
        case "temp_directory": return s.tempDirectory ?? SpillDirectory.defaultRoot
        case "timezone", "time_zone", "time zone": return s.timeZone.name
        default: return nil
        }
    }

    /// Every setting with what it means and what it takes (rows of `duckdb_settings()`).
    static let described: [(name: String, description: String, inputType: String)] = [
        ("schema", "schema for unqualified names (also search_path, USE)", "VARCHAR"),
        ("dialect", "trino (default) or sqlite semantics", "VARCHAR"),
        ("division_by_zero", "error (default) or null", "VARCHAR"),
        ("integer_overflow", "error (default) or promote", "VARCHAR"),
        ("threads", "worker threads for scans and aggregation", "BIGINT"),
        ("max_recursion_depth", "most rounds of a recursive CTE", "BIGINT"),
        ("memory_limit", "memory one statement may hold in operator state before it spills or fails (also max_memory)", "VARCHAR"),
        ("temp_directory", "folder for spill files", "VARCHAR"),
        ("TimeZone", "the session time zone TIMESTAMP WITH TIME ZONE values are shown and computed in (also SET TIME ZONE, time_zone)", "VARCHAR"),
    ]

    static func reset(_ name: String, on session: Session) throws {
        let defaults = SessionSettings()
        switch name {
        case "schema", "search_path": session.currentSchema = TableName.defaultSchema
        case "dialect": session.settings.sqliteCompatible = false; session.settings.divisionByZeroIsNull = false
        case "division_by_zero": session.settings.divisionByZeroIsNull = defaults.divisionByZeroIsNull
        case "integer_overflow": session.settings.overflowIsError = defaults.overflowIsError
        case "threads": session.settings.threads = defaults.threads
        case "max_recursion_depth": session.settings.maxRecursionDepth = defaults.maxRecursionDepth
        case "memory_limit", "max_memory": session.settings.memoryLimit = defaults.memoryLimit
        case "temp_directory": session.settings.tempDirectory = defaults.tempDirectory
        case "timezone", "time_zone", "time zone": session.settings.timeZone = defaults.timeZone
        case "all": session.settings = defaults; session.currentSchema = TableName.defaultSchema
        default: throw TarnError.semantic("unknown setting '\(name)'" + suggestion(name))
        }
    }

    private static func suggestion(_ name: String) -> String {
        let close = names.filter { $0.hasPrefix(String(name.prefix(3))) }
        return close.isEmpty ? "; settings are: \(names.joined(separator: ", "))" : "; did you mean '\(close[0])'?"
    }
}
