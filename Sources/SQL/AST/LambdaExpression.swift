/// A lambda argument of a higher-order function: Trino's `x -> x + 1` / `(s, x) -> s + x` and DuckDB's
/// `lambda x: x + 1`. Only a function argument may be one (`FunctionArgument.Value.lambda`); the binder gives the
/// parameters their types from the function's other arguments.
public struct LambdaExpression: Sendable {
    /// Parameter names as written (unquoted).
    public var parameters: [String]
    public var body: Expression
    /// Where the lambda starts (its first parameter, or `(` / `lambda`).
    public var location: SourceLocation
    public init(parameters: [String], body: Expression, at location: SourceLocation) {
        self.parameters = parameters; self.body = body; self.location = location
    }
}

/// The higher-order functions whose arguments the parser reads as lambdas when written `x -> …`
/// (elsewhere `j -> 'k'` stays DuckDB's JSON operator). A parenthesised `(x, y) -> …` or `lambda x: …` is a lambda
/// in any call, so a misplaced one gets the binder's clear error instead of a syntax error.
public enum LambdaFunctionNames {
    public static let all: Set<String> = [
        "transform", "list_transform", "array_transform", "list_apply", "array_apply", "apply",
        "filter", "list_filter", "array_filter",
        "reduce", "list_reduce", "array_reduce",
        "any_match", "all_match", "none_match", "zip_with", "transform_keys", "transform_values", "map_filter",
        "map_zip_with",
    ]
}
