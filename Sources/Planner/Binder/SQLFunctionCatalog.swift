import Execution

/// Every function name the binder resolves outside FROM — scalar functions (with aliases), aggregates, window
/// functions and the forms the binder handles itself — for the shell's completion (which must never offer a name
/// that does not exist) and for `tarn_functions()`.
public enum SQLFunctionCatalog {
    /// What kind of function a name is, as `tarn_functions()` reports it.
    public enum Kind: String, Sendable {
        case scalar, aggregate, window, special
    }

    /// Functions the expression binder rewrites itself (they are not in the registry): conditional forms and
    /// `grouping()`; and the syntax forms the parser turns into expressions of their own.
    static let specialForms = ["coalesce", "ifnull", "nvl", "nullif", "if", "iif", "try", "grouping", "grouping_id",
                               "cast", "try_cast", "case", "extract"]

    /// Every name with its kind, sorted by name (a name in two families is listed once per family).
    public static var entries: [(name: String, kind: Kind)] {
        var out: [(name: String, kind: Kind)] = []
        out += FunctionRegistry.functionNames.map { ($0, .scalar) }
        out += (Array(AggregateCatalog.kinds.keys) + ["count_if"]).map { ($0, .aggregate) }
        out += WindowCatalog.kinds.keys.map { ($0, .window) }
        out += specialForms.map { ($0, .special) }
        // Higher-order functions taking lambdas (`transform(a, x -> …)`), bound by ExpressionBinder+Lambda.
        out += ExpressionBinder.higherOrderFunctions.keys.map { ($0, .special) }
        return out.filter { $0.name.first?.isLetter == true }
            .sorted { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }
    }

    /// Every callable name, sorted and without repeats.
    public static var names: [String] { Array(Set(entries.map(\.name))).sorted() }
}
