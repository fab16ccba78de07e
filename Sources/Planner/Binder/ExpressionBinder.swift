import Foundation
import Storage
import SQL
import Execution

/// Turns AST expressions into typed `BoundExpression`s over the columns of a scope.
///
/// Aggregates and window functions are handed to the owning query binder through the handlers;
/// where a handler is nil those functions are not allowed (e.g. aggregates in WHERE).
struct ExpressionBinder {
    let binder: QueryBinder
    var scope: Scope
    var aggregateHandler: ((FunctionCall, SourceLocation) throws -> BoundExpression)?
    var windowHandler: ((FunctionCall, SourceLocation) throws -> BoundExpression)?
    /// Where aggregates are not allowed, the clause name for the error message.
    var clause: String = "this clause"
    /// Select-list names (lower-cased) a bare column may name when the scope has no such column: QUALIFY's
    /// `… rank() OVER (…) AS r FROM t QUALIFY r <= 2`, as DuckDB and Databricks allow. nil: the select list gives
    /// the name to two different expressions, so naming it is ambiguous.
    var selectAliases: [String: BoundExpression?] = [:]
    /// `grouping(k, …)` in an aggregate query: the binder of the SELECT turns the keys into the bit mask's column.
    var groupingHandler: (([BoundExpression], SourceLocation) throws -> BoundExpression)?
    /// Inside a lambda body: its parameters (and those of enclosing lambdas) by lower-cased name, which shadow columns.
    var lambdaParameters: [String: BoundExpression] = [:]

    var settings: SessionSettings { binder.context.settings }

    init(binder: QueryBinder, scope: Scope) {
        self.binder = binder
        self.scope = scope
    }

    // MARK: entry points

    func bind(_ e: Expression) throws -> BoundExpression {
        try bindNode(e)
    }

    /// Binds a condition (WHERE, ON, HAVING, CASE WHEN): BOOLEAN, or truthy numbers in SQLite mode.
    func bindCondition(_ e: Expression) throws -> BoundExpression {
        try asCondition(try bindNode(e), at: e.location)
    }

    func asCondition(_ b: BoundExpression, at loc: SourceLocation) throws -> BoundExpression {
        switch b.type {
        case .boolean: return b
        case .null: return .constant(.null, .boolean)
        default:
            if settings.sqliteCompatible, b.type.isNumeric || b.type == .varchar {
                let numeric = b.type == .varchar ? BoundExpression.cast(b, .double, isTry: true) : b
                return try compare("<>", numeric, .constant(.integer(0), .integer), at: loc)
            }
            throw err("expected a BOOLEAN condition but got \(b.type)", loc)
        }
    }

    // MARK: nodes

    private func bindNode(_ e: Expression) throws -> BoundExpression {
        let loc = e.location
        switch e.kind {
        case let .literal(lit):
            return try bindLiteral(lit, at: loc)
        case let .parameter(number):
            guard number <= binder.context.parameterTypes.count else { throw err("there is no parameter $\(number)", loc) }
            binder.context.parameterNumbersBound.insert(number)
            return ParameterMarker.expression(number, binder.context.parameterTypes[number - 1])
        case let .column(parts):
            return try resolveColumn(parts, at: loc)
        case .star:
            throw err("'*' is only allowed in a select list or count(*)", loc)
        case let .unary(op, operand):
            return try bindUnary(op, operand, at: loc)
        case let .binary(op, l, r):
            return try bindBinary(op, l, r, at: loc)
        case let .function(call):
            return try bindFunction(call, at: loc)
        case let .cast(inner, typeName, isTry):
            // `'t'::regclass`, `'int4'::regtype`, `'pg_catalog.array_in'::regproc`: a name looked up, not a number parsed.
            let system = ["REGCLASS": "pg_regclass", "REGTYPE": "pg_regtype", "REGNAMESPACE": "pg_regnamespace",
                          "REGPROC": "pg_regproc", "REGPROCEDURE": "pg_regproc"]
            if !isTry, let function = system[typeName.name.uppercased()] {
                return try callFunction(function, [try bindNode(inner)], at: loc)
            }
            let target = try binder.context.dataType(typeName, at: loc)
            let value = try bindNode(inner)
            if settings.sqliteCompatible {
                let upper = typeName.name.uppercased()
                if (upper == "DECIMAL" || upper == "NUMERIC") && value.type.isNumeric { return value }
                if upper == "DECIMAL" || upper == "NUMERIC" { return .cast(value, .double, isTry: true) }
                if value.type == .varchar && target.isNumeric { return .cast(value, target, isTry: true).withDefaultZero(target) }
            }
            return cast(value, to: target, isTry: isTry)
        case let .caseWhen(operand, branches, elseResult):
            return try bindCase(operand, branches, elseResult, at: loc)
        case let .between(x, low, high, negated):
            let bx = try bindNode(x), bl = try bindNode(low), bh = try bindNode(high)
            let both = BoundExpression.and([try compare(">=", bx, bl, at: loc), try compare("<=", bx, bh, at: loc)])
            return negated ? .not(both) : both
        case let .inList(x, list, negated):
            var items = [try bindNode(x)]
            for i in list { items.append(try bindNode(i)) }
            guard let common = try commonType(items.map(\.type), at: loc) ?? (settings.sqliteCompatible ? DataType.varchar : nil) else {
                throw err("IN list values have incompatible types: \(items.map(\.type.description).joined(separator: ", "))", loc)
            }
            let cast = items.map { arrayKey(self.cast($0, to: common)) }
            return .inList(cast[0], Array(cast.dropFirst()), negated: negated)
        case let .inSubquery(x, query, negated):
            let probe = try bindNode(x)
            return try binder.bindSubquery(query, mode: .inProbe(probe, negated: negated), from: self, at: loc)
        case let .exists(query, negated):
            return try binder.bindSubquery(query, mode: .exists(negated: negated), from: self, at: loc)
        case let .subquery(query):
            return try binder.bindSubquery(query, mode: .scalar, from: self, at: loc)
        case let .isNull(x, negated):
            return .isNull(try bindNode(x), negated: negated)
        case let .isBoolean(x, value, negated):
            let b = try bindCondition(x)
            let test: BoundExpression = value ? b : .not(b)
            let result = BoundExpression.caseWhen([CaseBranch(condition: test, result: .constant(.boolean(true), .boolean))],
                                                  elseResult: .constant(.boolean(false), .boolean), .boolean)
            return negated ? .not(result) : result
        case let .like(x, pattern, escape, negated, ci):
            var args = [try bindNode(x), try bindNode(pattern)]
            if let escape { args.append(try bindNode(escape)) }
            args = args.map { $0.type == .varchar || $0.type == .null ? $0 : cast($0, to: .varchar) }
            let call = try callFunction(ci ? "ilike" : "like", args, at: loc)
            return negated ? .not(call) : call
        case let .extract(field, x):
            let f = field.lowercased()
            let name: String
            switch f {
            case "dow", "dayofweek", "day_of_week": name = "day_of_week"
            case "doy", "dayofyear", "day_of_year": name = "day_of_year"
            case "day_of_month": name = "day"
            default: name = f
            }
            return try callFunction(name, [try bindNode(x)], at: loc)
        case let .array(items):
            return try bindArray(items, at: loc)
        case let .subscript(x, index, upper):
            let value = try bindNode(x)
            if let upper {
                // DuckDB's `a[lo:hi]`: 1-based, both ends inclusive, a missing end meaning the array's end.
                let lo = try index.map { try bindNode($0) } ?? .constant(.bigint(1), .bigint)
                let hi = try upper.map { try bindNode($0) } ?? .constant(.null, .bigint)
                return try callFunction("list_slice", [value, lo, hi], at: loc)
            }
            guard let index else { throw err("a subscript needs an index", loc) }
            if value.type.rowFields != nil { return try fieldAccess(value, index, at: loc) }
            let i = try bindNode(index)
            if value.type.mapTypes != nil { return try callFunction("element_at", [value, i], at: loc) }
            if value.type == .varchar { return try callFunction("substr", [value, i, .constant(.integer(1), .integer)], at: loc) }
            guard value.type.elementType != nil || value.type == .null else { throw err("cannot subscript a value of type \(value.type); subscripts need an ARRAY", loc) }
            return try callFunction("element_at", [value, i], at: loc)
        }
    }

    // MARK: arrays

    /// `ARRAY[a, b, …]` / `[a, b, …]`: elements cast to their common type; all-constant arrays fold to a constant.
    private func bindArray(_ items: [Expression], at loc: SourceLocation) throws -> BoundExpression {
        let bound = try items.map { try bindNode($0) }
        guard let element = try commonType(bound.map(\.type), at: loc) else {
            throw err("ARRAY elements have incompatible types: \(bound.map(\.type.description).joined(separator: ", "))", loc)
        }
        let cast = bound.map { self.cast($0, to: element) }
        let values = cast.compactMap { e -> Value? in if case let .constant(v, _) = e { return v } else { return nil } }
        if values.count == cast.count {
            return .constant(.array(values, element: element), .array(element))
        }
        return try callFunction("array_value", cast, at: loc)
    }

    // MARK: literals

    private func bindLiteral(_ lit: Literal, at loc: SourceLocation) throws -> BoundExpression {
        switch lit {
        case .null: return .constant(.null, .null)
        case let .boolean(b): return .constant(.boolean(b), .boolean)
        case let .integer(text):
            if !settings.sqliteCompatible, let v = Int32(text) { return .constant(.integer(v), .integer) }
            if let v = Int64(text) { return .constant(.bigint(v), .bigint) }
            if let d = Double(text) {
                if settings.sqliteCompatible { return .constant(.double(d), .double) }
                return decimalOrDouble(text) ?? .constant(.double(d), .double)
            }
            throw err("invalid number '\(text)'", loc)
        case let .decimal(text):
            if settings.sqliteCompatible { return .constant(.double(Double(text) ?? 0), .double) }
            return decimalOrDouble(text) ?? .constant(.double(Double(text) ?? 0), .double)
        case let .double(text):
            guard let d = Double(text) else { throw err("invalid number '\(text)'", loc) }
            return .constant(.double(d), .double)
        case let .string(s):
            return .constant(.varchar(s), .varchar)
        case let .typed(typeName, text):
            let t = typeName.uppercased()
            if t == "DATE" {
                guard let d = ValueFormatting.parseDate(Substring(text)) else { throw err("invalid DATE literal '\(text)'", loc) }
                return .constant(.date(d), .date)
            }
            if t == "TIMESTAMPTZ" || t == "TIMESTAMP WITH TIME ZONE" || (t == "TIMESTAMP" && Self.namesTimeZone(text)) {
                // Trino: a TIMESTAMP literal naming a zone ('2021-08-22 03:04:05.321 America/Los_Angeles') is WITH TIME ZONE.
                // Text without an offset or zone is local time in the session zone.
                let parsed: Int64?
                do { parsed = try binder.context.settings.timeZone.parseInstant(Substring(text)) } catch { throw err((error as? TarnError)?.message ?? "\(error)", loc) }
                guard let ts = parsed else { throw err("invalid TIMESTAMP WITH TIME ZONE literal '\(text)'", loc) }
                return .constant(.timestampTZ(ts), .timestampTZ)
            }
            if t.hasPrefix("TIMESTAMP") {
                guard let ts = ValueFormatting.parseTimestamp(Substring(text)) else { throw err("invalid TIMESTAMP literal '\(text)'", loc) }
                return .constant(.timestamp(ts), .timestamp)
            }
            let target = try binder.context.dataType(TypeName(name: typeName), at: loc)
            return cast(.constant(.varchar(text), .varchar), to: target)
        case .interval:
            throw err("an INTERVAL can only be added to or subtracted from a DATE or TIMESTAMP", loc)
        }
    }

    /// Whether a timestamp text ends in a zone name (`… America/Los_Angeles`, `… UTC`) rather than an offset.
    static func namesTimeZone(_ text: String) -> Bool {
        let words = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard words.count >= 3, let last = words.last else { return false }
        return last.contains(where: { $0.isLetter })
    }

    /// Trino types `12.50` as DECIMAL(4,2) and an exact number of 19…38 digits (integer or not) as DECIMAL(19…38);
    /// precision over 38 falls back to DOUBLE.
    private func decimalOrDouble(_ text: String) -> BoundExpression? {
        var t = text
        if t.hasPrefix("+") { t.removeFirst() }
        let negative = t.hasPrefix("-")
        if negative { t.removeFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let intPart = String(parts[0]).drop { $0 == "0" }
        let frac = parts.count == 2 ? String(parts[1]) : ""
        let digits = String(intPart) + frac
        let precision = max(digits.count, 1)
        let scale = frac.count
        guard precision <= DataType.maxDecimalPrecision else { return nil }
        if precision > DataType.maxInt64DecimalPrecision {
            guard let unscaled = Int128(digits) else { return nil }
            return .constant(.decimal128(negative ? -unscaled : unscaled, scale: scale), .decimal(precision: max(precision, scale), scale: scale))
        }
        guard let unscaled = Int64(digits.isEmpty ? "0" : digits) else { return nil }
        return .constant(.decimal(negative ? -unscaled : unscaled, scale: scale), .decimal(precision: max(precision, scale), scale: scale))
    }

    // MARK: columns

    private func resolveColumn(_ parts: [String], at loc: SourceLocation) throws -> BoundExpression {
        if parts.count == 1, let parameter = lambdaParameters[parts[0].lowercased()] { return parameter }
        switch scope.lookup(parts) {
        case let .found(c): return .column(c.id, c.type)
        case .ambiguous:
            throw err("column reference '\(parts.joined(separator: "."))' is ambiguous", loc)
        case .missing:
            if parts.count == 1, let alias = selectAliases[parts[0].lowercased()] {
                guard let alias else { throw err("column reference '\(parts[0])' is ambiguous: the select list names two expressions so", loc) }
                return alias
            }
            if let field = try resolveFieldPath(parts, at: loc) { return field }
            if let outer = try binder.resolveOuter(parts) { return outer }
            let name = parts.joined(separator: ".")
            if parts.count >= 2, !scope.hasQualifier(parts[parts.count - 2]) {
                throw err("column '\(name)' cannot be resolved: no table or alias named '\(parts[parts.count - 2])' in this query", loc)
            }
            throw err("column '\(name)' does not exist" + NameSuggestion.hint(for: parts.last ?? name, among: scope.columns.map(\.name)), loc)
        }
    }

    // MARK: operators

    private func bindUnary(_ op: UnaryOperator, _ operand: Expression, at loc: SourceLocation) throws -> BoundExpression {
        switch op {
        case .not:
            return .not(try bindCondition(operand))
        case .plus:
            let b = try bindNode(operand)
            if b.type == .boolean && settings.sqliteCompatible { return cast(b, to: .bigint) }
            if b.type == .varchar && settings.sqliteCompatible { return b }
            guard b.type.isNumeric || b.type == .null else { throw err("unary + needs a number, not \(b.type)", loc) }
            return b
        case .minus:
            if case let .literal(lit) = operand.kind {
                switch lit {
                case let .integer(t): return try bindLiteral(.integer("-" + t), at: loc)
                case let .decimal(t): return try bindLiteral(.decimal("-" + t), at: loc)
                case let .double(t): return try bindLiteral(.double("-" + t), at: loc)
                default: break
                }
            }
            var b = try bindNode(operand)
            if settings.sqliteCompatible {
                if b.type == .boolean { b = cast(b, to: .bigint) }
                if b.type == .varchar { b = BoundExpression.cast(b, .double, isTry: true).withDefaultZero(.double) }
            }
            if b.type == .null { return .constant(.null, .null) }
            return try callFunction("negate", [b], at: loc)
        }
    }

    private func bindBinary(_ op: BinaryOperator, _ l: Expression, _ r: Expression, at loc: SourceLocation) throws -> BoundExpression {
        switch op {
        case .and:
            return .and((try bindCondition(l)).conjuncts + (try bindCondition(r)).conjuncts)
        case .or:
            let a = try bindCondition(l), b = try bindCondition(r)
            var xs: [BoundExpression] = []
            for x in [a, b] { if case let .or(inner) = x { xs += inner } else { xs.append(x) } }
            return .or(xs)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            // `x = ANY(array)` over PostgreSQL's catalog arrays, which Tarn holds in their text form `{a,b}`.
            if op == .equal, case let .function(call) = r.kind, call.baseName == "any", call.arguments.count == 1,
               case let .expression(array) = call.arguments[0].value {
                // `x = ANY(ARRAY[a, b])` is `x IN (a, b)` (SQLAlchemy's catalog queries).
                if case let .array(items) = array.kind {
                    return try bindNode(Expression(.inList(l, items, negated: false), at: loc))
                }
                let element = try bindNode(l), list = try bindNode(array)
                guard list.type == .varchar else { throw err("= ANY(…) needs an array; Tarn has arrays only in PostgreSQL catalog text form", loc) }
                return try callFunction("pg_array_contains", [list, cast(element, to: .varchar)], at: loc)
            }
            return try compare(op.rawValue, try bindNode(l), try bindNode(r), at: loc)
        case .isDistinctFrom, .isNotDistinctFrom:
            let a = try bindNode(l), b = try bindNode(r)
            guard let common = try commonType([a.type, b.type], at: loc) else { throw err("cannot compare \(a.type) with \(b.type)", loc) }
            let name = op == .isDistinctFrom ? "is_distinct_from" : "is_not_distinct_from"
            return try callFunction(name, [arrayKey(cast(a, to: common)), arrayKey(cast(b, to: common))], at: loc)
        case .concat:
            var a = try bindNode(l), b = try bindNode(r)
            if a.type.elementType != nil || b.type.elementType != nil {
                // Arrays: `a || b` concatenates (Trino, DuckDB); an element on either side is appended / prepended.
                if a.type.elementType == nil && a.type != .null { a = try callFunction("array_value", [a], at: loc) }
                if b.type.elementType == nil && b.type != .null { b = try callFunction("array_value", [b], at: loc) }
                return try callFunction("array_concat", [a, b], at: loc)
            }
            if a.type != .varchar && a.type != .null { a = cast(a, to: .varchar) }
            if b.type != .varchar && b.type != .null { b = cast(b, to: .varchar) }
            return try callFunction("||", [a, b], at: loc)
        case .add, .subtract:
            if case let .literal(.interval(value, unit)) = r.kind {
                return try intervalArithmetic(try bindNode(l), value: value, unit: unit, negate: op == .subtract, at: loc)
            }
            if op == .add, case let .literal(.interval(value, unit)) = l.kind {
                return try intervalArithmetic(try bindNode(r), value: value, unit: unit, negate: false, at: loc)
            }
            return try arithmetic(op.rawValue, l, r, at: loc)
        case .multiply, .divide, .modulo:
            return try arithmetic(op.rawValue, l, r, at: loc)
        }
    }

    private func intervalArithmetic(_ base: BoundExpression, value: String, unit: String, negate: Bool, at loc: SourceLocation) throws -> BoundExpression {
        guard var n = Int64(value.trimmingCharacters(in: .whitespaces)) else { throw err("invalid INTERVAL value '\(value)'", loc) }
        if negate { n = -n }
        var u = unit.lowercased()
        if u.hasSuffix("s") { u.removeLast() }
        var target = base
        if base.type == .varchar { target = cast(base, to: .timestamp) }
        return try callFunction("date_add", [.constant(.varchar(u), .varchar), .constant(.bigint(n), .bigint), target], at: loc)
    }

    private func arithmetic(_ name: String, _ l: Expression, _ r: Expression, at loc: SourceLocation) throws -> BoundExpression {
        var a = try bindNode(l), b = try bindNode(r)
        if settings.sqliteCompatible {
            if a.type == .boolean { a = cast(a, to: .bigint) }
            if b.type == .boolean { b = cast(b, to: .bigint) }
            if a.type == .varchar { a = BoundExpression.cast(a, .double, isTry: true).withDefaultZero(.double) }
            if b.type == .varchar { b = BoundExpression.cast(b, .double, isTry: true).withDefaultZero(.double) }
        }
        if a.type == .null && b.type == .null { return .constant(.null, .null) }
        if a.type == .null { a = cast(a, to: b.type) }
        if b.type == .null { b = cast(b, to: a.type) }
        return try callFunction(name, [a, b], at: loc)
    }

    /// A comparison with both sides coerced to a common type (strings compared with dates/numbers are cast).
    func compare(_ op: String, _ a0: BoundExpression, _ b0: BoundExpression, at loc: SourceLocation) throws -> BoundExpression {
        var a = a0, b = b0
        if settings.sqliteCompatible {
            if a.type == .boolean && b.type.isNumeric { a = cast(a, to: .bigint) }
            if b.type == .boolean && a.type.isNumeric { b = cast(b, to: .bigint) }
        }
        if a.type == .null || b.type == .null {
            return .constant(.null, .boolean)
        }
        if a.type != b.type {
            if let common = TypeCoercion.commonSuperType(a.type, b.type) {
                a = cast(a, to: common); b = cast(b, to: common)
            } else if a.type == .varchar, b.type != .varchar {
                a = cast(a, to: b.type, isTry: settings.sqliteCompatible)
            } else if b.type == .varchar, a.type != .varchar {
                b = cast(b, to: a.type, isTry: settings.sqliteCompatible)
            } else {
                throw err("cannot compare \(a.type) with \(b.type)", loc)
            }
        }
        if ArrayKeyEncoding.canKey(a.type) { return try callFunction(op, [arrayKey(a), arrayKey(b)], at: loc) }
        return try callFunction(op, [a, b], at: loc)
    }

    // MARK: CASE

    private func bindCase(_ operand: Expression?, _ branches: [WhenBranch], _ elseResult: Expression?, at loc: SourceLocation) throws -> BoundExpression {
        let boundOperand = try operand.map { try bindNode($0) }
        var conditions: [BoundExpression] = []
        var results: [BoundExpression] = []
        for br in branches {
            if let boundOperand {
                conditions.append(try compare("=", boundOperand, try bindNode(br.condition), at: br.condition.location))
            } else {
                conditions.append(try bindCondition(br.condition))
            }
            results.append(try bindNode(br.result))
        }
        let elseBound = try elseResult.map { try bindNode($0) }
        let allTypes = results.map(\.type) + (elseBound.map { [$0.type] } ?? [])
        guard let type = try commonType(allTypes, at: loc) else {
            throw err("CASE results have incompatible types: \(allTypes.map(\.description).joined(separator: ", "))", loc)
        }
        let bs = zip(conditions, results).map { CaseBranch(condition: $0, result: cast($1, to: type)) }
        return .caseWhen(bs, elseResult: elseBound.map { cast($0, to: type) }, type)
    }

    // MARK: functions

    private func bindFunction(_ call: FunctionCall, at loc: SourceLocation) throws -> BoundExpression {
        let name = call.baseName
        if call.window != nil {
            guard let windowHandler else { throw err("window functions are not allowed in \(clause)", loc) }
            return try windowHandler(call, loc)
        }
        if AggregateCatalog.isAggregate(name) {
            guard let aggregateHandler else { throw err("aggregate functions are not allowed in \(clause)", loc) }
            return try aggregateHandler(call, loc)
        }
        if WindowCatalog.isWindowOnly(name) {
            throw err("window function '\(name)' requires an OVER clause", loc)
        }
        if call.isStar { throw err("'*' is only valid in count(*)", loc) }
        if Self.higherOrderFunctions[name] != nil || call.arguments.contains(where: { if case .lambda = $0.value { return true } else { return false } }) {
            return try bindHigherOrderCall(call, at: loc)
        }
        let args = try call.arguments.map { arg -> BoundExpression in
            switch arg.value {
            case let .expression(e): return try bindNode(e)
            case let .query(q): return try binder.bindSubquery(q, mode: .scalar, from: self, at: loc)
            case .table: throw err("TABLE arguments are only allowed for table functions", loc)
            case let .lambda(l): throw err("a lambda is only allowed as an argument of a higher-order function such as transform", l.location)
            }
        }
        if let row = try bindRowConstructor(name, call, args, at: loc) { return row }
        if name == "grouping" || name == "grouping_id" {
            guard let groupingHandler else { throw err("\(name)() is only allowed in the select list, HAVING and ORDER BY of an aggregate query", loc) }
            return try groupingHandler(args, loc)
        }
        switch name {
        case "coalesce", "ifnull", "nvl":
            guard !args.isEmpty else { throw err("\(name) needs at least one argument", loc) }
            guard let t = try commonType(args.map(\.type), at: loc) else { throw err("\(name) arguments have incompatible types", loc) }
            if args.count == 1 { return cast(args[0], to: t) }
            return .coalesce(args.map { cast($0, to: t) }, t)
        case "nullif":
            guard args.count == 2 else { throw err("nullif takes 2 arguments", loc) }
            let eq = try compare("=", args[0], args[1], at: loc)
            let t = args[0].type
            return .caseWhen([CaseBranch(condition: eq, result: .constant(.null, t))], elseResult: args[0], t)
        case "try":
            guard args.count == 1 else { throw err("try takes 1 argument", loc) }
            return .call(ScalarFunction.tryFunction(), args, args[0].type)
        case "if", "iif":
            guard args.count == 2 || args.count == 3 else { throw err("if takes 2 or 3 arguments", loc) }
            let cond = try asCondition(args[0], at: loc)
            let rest = Array(args.dropFirst())
            guard let t = try commonType(rest.map(\.type), at: loc) else { throw err("if branches have incompatible types", loc) }
            return .caseWhen([CaseBranch(condition: cond, result: cast(rest[0], to: t))],
                             elseResult: rest.count > 1 ? cast(rest[1], to: t) : nil, t)
        default:
            return try callFunction(name, args, at: loc)
        }
    }

    func callFunction(_ name: String, _ args: [BoundExpression], at loc: SourceLocation) throws -> BoundExpression {
        let resolved: ResolvedFunction
        do {
            resolved = try FunctionRegistry.resolve(name, argumentTypes: args.map(\.type), settings: settings)
        } catch var e as TarnError {
            if e.line == nil { e.line = loc.line; e.column = loc.column }
            throw e
        }
        let cast = zip(args, resolved.parameterTypes).map { self.cast($0, to: $1) }
        try checkTimeZoneNames(name, cast, at: loc)
        return .call(resolved.function, cast, resolved.returnType)
    }

    /// A zone written as a constant (`AT TIME ZONE 'Mars/Base'`, `with_timezone(ts, 'x')`) is checked now, so an
    /// unknown name is an error with the call's line and column rather than one from the middle of a run.
    private func checkTimeZoneNames(_ name: String, _ args: [BoundExpression], at loc: SourceLocation) throws {
        let zoneArgument: Int
        switch name.lowercased() {
        case "timezone": zoneArgument = 0
        case "with_timezone", "at_timezone", "from_unixtime": zoneArgument = 1
        default: return
        }
        guard zoneArgument < args.count, case let .constant(.varchar(zone), _) = args[zoneArgument] else { return }
        if TimeZoneRules.named(zone) == nil {
            throw err("unknown time zone '\(zone)' (expected an IANA name such as 'Europe/Paris', 'UTC', or an offset such as '+05:30')", loc)
        }
    }

    // MARK: types

    func cast(_ e: BoundExpression, to t: DataType, isTry: Bool = false) -> BoundExpression {
        if e.type == t { return e }
        if case let .constant(v, _) = e, v.isNull { return .constant(.null, t) }
        return .cast(e, t, isTry: isTry)
    }

    func commonType(_ types: [DataType], at loc: SourceLocation) throws -> DataType? {
        var result: DataType = .null
        for t in types where t != .null {
            if result == .null { result = t; continue }
            if result == t { continue }
            guard let c = TypeCoercion.commonSuperType(result, t) else { return nil }
            result = c
        }
        return result
    }

    func err(_ message: String, _ loc: SourceLocation) -> TarnError {
        TarnError.semantic(message, line: loc.line > 0 ? loc.line : nil, column: loc.line > 0 ? loc.column : nil)
    }
}

extension BoundExpression {
    /// SQLite turns unparsable text into 0 in numeric contexts.
    func withDefaultZero(_ t: DataType) -> BoundExpression {
        let zero: Value = t == .double ? .double(0) : .bigint(0)
        return .coalesce([self, .constant(zero, t)], t)
    }
}
