import Storage
import Execution
import Planner

/// `tarn_functions()` (also spelled `duckdb_functions()`): one row per function a query can call —
/// `function_name` and `function_type` (scalar, aggregate, window, special, table).
enum FunctionListing {
    static let fields = [Field(name: "function_name", type: .varchar, nullable: false),
                         Field(name: "function_type", type: .varchar, nullable: false)]

    /// The definition for a session whose FROM-clause table functions are `tableFunctionNames`.
    static func definition(name: String, tableFunctionNames: @escaping @Sendable () -> [String]) -> TableFunctionDefinition {
        TableFunctionDefinition(name: name) { call in
            guard call.positional.isEmpty, call.named.isEmpty else { throw TarnError.semantic("\(name)() takes no arguments") }
            let rows: [[Value]] = SQLFunctionCatalog.entries.map { [.varchar($0.name), .varchar($0.kind.rawValue)] }
                + tableFunctionNames().sorted().map { [.varchar($0), .varchar("table")] }
            return (fields, OperatorFactory { IngestRelations.values(fields, rows) })
        }
    }
}
