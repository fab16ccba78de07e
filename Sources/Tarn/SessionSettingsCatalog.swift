import Storage
import Execution

/// The settings `SET name = value` accepts, with their meaning (documented in docs/SQL.md).
enum SessionSettingsCatalog {
    static let names = ["schema", "search_path", "dialect", "division_by_zero", "threads", "integer_overflow", "max_recursion_depth"]

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
        default:
            throw TarnError.semantic("unknown setting '\(name)'" + suggestion(name))
        }
    }

    static func reset(_ name: String, on session: Session) throws {
        let defaults = SessionSettings()
        switch name {
        case "schema", "search_path": session.currentSchema = TableName.defaultSchema
        case "dialect": session.settings.sqliteCompatible = false; session.settings.divisionByZeroIsNull = false
        case "division_by_zero": session.settings.divisionByZeroIsNull = defaults.divisionByZeroIsNull
        case "integer_overflow": session.settings.overflowIsError = defaults.overflowIsError
        case "threads": session.settings.threads = defaults.threads
        case "max_recursion_depth": session.settings.maxRecursionDepth = defaults.maxRecursionDepth
        case "all": session.settings = defaults; session.currentSchema = TableName.defaultSchema
        default: throw TarnError.semantic("unknown setting '\(name)'" + suggestion(name))
        }
    }

    private static func suggestion(_ name: String) -> String {
        let close = names.filter { $0.hasPrefix(String(name.prefix(3))) }
        return close.isEmpty ? "; settings are: \(names.joined(separator: ", "))" : "; did you mean '\(close[0])'?"
    }
}
