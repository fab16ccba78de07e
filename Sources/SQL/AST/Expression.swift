import Storage

/// A SQL scalar expression as written, with the place it was written.
public struct Expression: Sendable {
    public var kind: ExpressionKind
    public var location: SourceLocation
    public init(_ kind: ExpressionKind, at location: SourceLocation) { self.kind = kind; self.location = location }
}

/// A literal as written in SQL.
public enum Literal: Sendable, Hashable {
    case null
    case boolean(Bool)
    /// Integer literal text (may exceed Int64: the binder decides the type).
    case integer(String)
    /// Decimal literal without exponent, e.g. `12.50` (Trino: DECIMAL; SQLite compat: DOUBLE).
    case decimal(String)
    /// Literal with an exponent, e.g. `1E0`: DOUBLE.
    case double(String)
    case string(String)
    /// `DATE '2024-01-01'`, `TIMESTAMP '…'`, and other `type 'text'` typed literals.
    case typed(type: String, text: String)
    /// `INTERVAL '3' DAY`, `INTERVAL 3 DAY`: value text and unit (DAY, MONTH, …), sign applied.
    case interval(value: String, unit: String)
}

/// Unary operators.
public enum UnaryOperator: String, Sendable { case plus = "+", minus = "-", not = "NOT" }

/// Binary operators.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"
    /// `IS DISTINCT FROM` / `IS NOT DISTINCT FROM`
    case isDistinctFrom = "IS DISTINCT FROM", isNotDistinctFrom = "IS NOT DISTINCT FROM"
}

/// The forms a scalar expression takes.
public indirect enum ExpressionKind: Sendable {
    case literal(Literal)
    /// A column reference: `c`, `t.c`, `s.t.c` (parts as written, unquoted; `quoted` says which were double-quoted).
    case column(parts: [String])
    /// `*` or `t.*` in a select list or `count(*)`.
    case star(qualifier: [String]?)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case function(FunctionCall)
    /// `CAST(e AS type)` / `TRY_CAST(e AS type)` / `e::type`.
    case cast(Expression, type: TypeName, isTry: Bool)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    case caseWhen(operand: Expression?, branches: [WhenBranch], elseResult: Expression?)
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    case inList(Expression, [Expression], negated: Bool)
    case inSubquery(Expression, Query, negated: Bool)
    case exists(Query, negated: Bool)
    /// A scalar subquery `(SELECT …)`.
    case subquery(Query)
    case isNull(Expression, negated: Bool)
    /// `IS [NOT] TRUE|FALSE`.
    case isBoolean(Expression, value: Bool, negated: Bool)
    /// `LIKE` / `ILIKE` with optional `ESCAPE`.
    case like(Expression, pattern: Expression, escape: Expression?, negated: Bool, caseInsensitive: Bool)
    /// `EXTRACT(field FROM e)`.
    case extract(field: String, Expression)
    /// `ARRAY[a, b, …]` or DuckDB's `[a, b, …]`: an ARRAY value (also table-function arguments such as `levels => ARRAY['a', 'b']`).
    case array([Expression])
    /// `a[i]` (1-based) and DuckDB's slice `a[lo:hi]` (`upper` set, either bound may be nil).
    case `subscript`(Expression, index: Expression?, upper: Expression??)
    /// A bind parameter `$n` (1-based) of a prepared statement; its value comes at execution.
    case parameter(Int)
}

/// One `WHEN condition THEN result` of a CASE.
public struct WhenBranch: Sendable {
    public var condition: Expression
    public var result: Expression
    public init(condition: Expression, result: Expression) { self.condition = condition; self.result = result }
}

/// A type as written: name plus parameters, e.g. `DECIMAL(10, 2)` → name "DECIMAL", parameters [10, 2].
/// Arrays (`ARRAY(T)`, `ARRAY<T>`, `LIST(T)`, `T[]`) have name "ARRAY" and their element type in `element`.
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var parameters: [Int]
    /// The element type of an array type (one entry), the field types of a ROW, the key and value types of a MAP; empty otherwise.
    public var element: [TypeName] = []
    /// A ROW's field names, one per entry of `element` (nil where the field is unnamed).
    public var fieldNames: [String?] = []
    public init(name: String, parameters: [Int] = []) { self.name = name; self.parameters = parameters }
    /// `ARRAY(element)`.
    public static func array(of element: TypeName) -> TypeName {
        var t = TypeName(name: "ARRAY")
        t.element = [element]
        return t
    }
    /// `ROW(name type, …)` (name "ROW") or `MAP(key, value)` (name "MAP").
    public static func nested(_ name: String, _ element: [TypeName], fieldNames: [String?] = []) -> TypeName {
        var t = TypeName(name: name)
        t.element = element
        t.fieldNames = fieldNames
        return t
    }
    public var description: String {
        if name == "ROW" {
            return "ROW(" + zip(fieldNames, element).map { ($0.map { RowField.quoteIfNeeded($0) + " " } ?? "") + $1.description }.joined(separator: ", ") + ")"
        }
        if name == "MAP", element.count == 2 { return "MAP(\(element[0]), \(element[1]))" }
        if let e = element.first { return "\(e)[]" }
        return parameters.isEmpty ? name : "\(name)(\(parameters.map(String.init).joined(separator: ",")))"
    }
}

/// A function call, aggregate or window function.
public struct FunctionCall: Sendable {
    /// Name parts as written (`sum`, `tarn.fn`).
    public var name: [String]
    public var arguments: [FunctionArgument]
    public var distinct: Bool
    /// `count(*)`.
    public var isStar: Bool
    /// `FILTER (WHERE …)` on an aggregate.
    public var filter: Expression?
    /// `OVER (…)` for window functions.
    public var window: WindowSpec?
    /// `IGNORE NULLS` / `RESPECT NULLS`.
    public var ignoreNulls: Bool
    /// `ORDER BY` inside the call (e.g. `array_agg(x ORDER BY y)`, `string_agg`).
    public var orderBy: [OrderItem]
    /// `UNNEST(…) WITH ORDINALITY` in FROM.
    public var withOrdinality = false

    public init(name: [String], arguments: [FunctionArgument], distinct: Bool = false, isStar: Bool = false,
                filter: Expression? = nil, window: WindowSpec? = nil, ignoreNulls: Bool = false, orderBy: [OrderItem] = []) {
        self.name = name; self.arguments = arguments; self.distinct = distinct; self.isStar = isStar
        self.filter = filter; self.window = window; self.ignoreNulls = ignoreNulls; self.orderBy = orderBy
    }

    /// Lower-cased last part of the name.
    public var baseName: String { name.last?.lowercased() ?? "" }
}

/// A positional or named (`name => value`) argument; table functions also take `TABLE t` or a subquery.
public struct FunctionArgument: Sendable {
    public enum Value: Sendable {
        case expression(Expression)
        /// `TABLE name [VERSION AS OF n | TIMESTAMP AS OF t]` (table-function input, optionally an older snapshot).
        case table(QualifiedName, timeTravel: TimeTravel?)
        /// `(SELECT …)` passed where a table is expected; scalar functions treat it as a scalar subquery.
        case query(Query)
        /// `x -> body`, `(x, y) -> body` or `lambda x: body` (higher-order functions such as `transform`).
        case lambda(LambdaExpression)
    }
    public var name: String?
    public var value: Value
    public init(name: String? = nil, value: Value) { self.name = name; self.value = value }
}

/// `OVER (PARTITION BY … ORDER BY … frame)` or `OVER name`.
public struct WindowSpec: Sendable {
    public var name: String?
    public var partitionBy: [Expression]
    public var orderBy: [OrderItem]
    public var frame: WindowFrame?
    public init(name: String? = nil, partitionBy: [Expression] = [], orderBy: [OrderItem] = [], frame: WindowFrame? = nil) {
        self.name = name; self.partitionBy = partitionBy; self.orderBy = orderBy; self.frame = frame
    }
}

/// `ROWS|RANGE BETWEEN start AND end`.
public struct WindowFrame: Sendable {
    public enum Unit: String, Sendable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }
    public enum Bound: Sendable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }
    public var unit: Unit
    public var start: Bound
    public var end: Bound
    public init(unit: Unit, start: Bound, end: Bound) { self.unit = unit; self.start = start; self.end = end }
}

/// One `ORDER BY` key.
public struct OrderItem: Sendable {
    public var expression: Expression
    public var ascending: Bool
    /// nil: the default (Trino: NULLS LAST for ASC and DESC... see binder); true: NULLS FIRST.
    public var nullsFirst: Bool?
    public init(expression: Expression, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression; self.ascending = ascending; self.nullsFirst = nullsFirst
    }
}
