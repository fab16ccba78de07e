import Execution

/// Every function name the binder resolves outside FROM — scalar functions (with aliases), aggregates and window
/// functions — for the shell's completion, which must never offer a name that does not exist.
public enum SQLFunctionCatalog {
    public static var names: [String] {
        Array(Set(FunctionRegistry.functionNames + AggregateCatalog.kinds.keys + ["count_if"] + WindowCatalog.kinds.keys)
            .filter { $0.first?.isLetter == true }).sorted()
    }
}
