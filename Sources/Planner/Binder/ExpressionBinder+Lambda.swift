import Storage
import SQL
import Execution

/// Higher-order function calls with lambda arguments (`transform(a, x -> x + t.c)`): the lambda's parameters are
/// bound as columns typed from the array's element type (they shadow table columns of the same name); every other
/// column or outer reference its body reads becomes a trailing argument of the call, so the body is closed over a
/// batch of its own and the planner maps the captured columns like any argument (see `LambdaFunctions`).
extension ExpressionBinder {
    /// The higher-order functions by name, with the lambda-taking operation they run.
    static let higherOrderFunctions: [String: LambdaFunctions.Operation] = [
        "transform": .transform, "list_transform": .transform, "array_transform": .transform,
        "list_apply": .transform, "array_apply": .transform, "apply": .transform,
        "filter": .filter, "list_filter": .filter, "array_filter": .filter,
        "any_match": .anyMatch, "all_match": .allMatch, "none_match": .noneMatch,
        "reduce": .reduce, "list_reduce": .listReduce, "array_reduce": .listReduce,
        "zip_with": .zipWith,
        "transform_keys": .transformKeys, "transform_values": .transformValues, "map_filter": .mapFilter,
        "map_zip_with": .mapZipWith,
    ]

    /// The outer values the lambdas of one call read, in argument order, by canonical key.
    struct LambdaCaptures {
        var expressions: [BoundExpression] = []
        var indexByKey: [String: Int] = [:]
        mutating func index(of e: BoundExpression) -> Int {
            if let i = indexByKey[e.key] { return i }
            expressions.append(e)
            indexByKey[e.key] = expressions.count - 1
            return expressions.count - 1
        }
    }

    func bindHigherOrderCall(_ call: FunctionCall, at loc: SourceLocation) throws -> BoundExpression {
        let name = call.baseName
        let lambdaAt = call.arguments.lazy.compactMap { a -> SourceLocation? in if case let .lambda(l) = a.value { return l.location } else { return nil } }.first ?? loc
        guard let operation = Self.higherOrderFunctions[name] else {
            throw err("a lambda is only allowed as an argument of a higher-order function (transform, filter, reduce, any_match, "
                      + "all_match, none_match, zip_with, transform_keys, transform_values, map_filter, map_zip_with, list_transform, "
                      + "list_filter, list_reduce); \(name) takes no lambda", lambdaAt)
        }
        if call.distinct || call.filter != nil || !call.orderBy.isEmpty { throw err("\(name) takes no DISTINCT, FILTER or ORDER BY", loc) }
        // The written shape: which arguments are values and which lambdas.
        var values: [BoundExpression] = []
        var lambdas: [LambdaExpression] = []
        var shape = ""
        for a in call.arguments {
            if a.name != nil { throw err("\(name) takes no named arguments", loc) }
            switch a.value {
            case let .expression(e): values.append(try bind(e)); shape += "v"
            case let .lambda(l): lambdas.append(l); shape += "f"
            case let .query(q): values.append(try binder.bindSubquery(q, mode: .scalar, from: self, at: loc)); shape += "v"
            case .table: throw err("TABLE arguments are only allowed for table functions", loc)
            }
        }
        let expected: [String]
        switch operation {
        case .transform, .filter, .anyMatch, .allMatch, .noneMatch: expected = ["vf"]
        case .reduce: expected = ["vvff"]
        case .listReduce: expected = ["vf", "vfv"]
        case .zipWith, .mapZipWith: expected = ["vvf"]
        case .transformKeys, .transformValues, .mapFilter: expected = ["vf"]
        }
        guard expected.contains(shape) else {
            let written = expected.map { $0.map { $0 == "v" ? "value" : "lambda" }.joined(separator: ", ") }.joined(separator: " or ")
            throw err("\(name) takes (\(written)) arguments", loc)
        }
        if [.transformKeys, .transformValues, .mapFilter].contains(operation) {
            return try bindMapLambda(operation, name, values[0], lambdas[0], at: loc)
        }
        if operation == .mapZipWith {
            return try bindMapZipWith(name, values[0], values[1], lambdas[0], call, at: loc)
        }
        // Arrays first; a NULL array is an empty INTEGER[] typed NULL.
        let arrayCount = operation == .zipWith ? 2 : 1
        for k in 0 ..< arrayCount {
            if values[k].type == .null { values[k] = cast(values[k], to: .array(.integer)) }
            guard values[k].type.elementType != nil else {
                throw err("\(name) needs an ARRAY as argument \(k + 1), not \(values[k].type)", call.arguments[k].location(default: loc))
            }
        }
        let element = values[0].type.elementType ?? .integer
        var captures = LambdaCaptures()
        var bodies: [LambdaBody] = []
        var texts: [String] = []
        let resultType: DataType
        func add(_ lambda: LambdaExpression, _ bound: (BoundExpression, [Int])) throws {
            let local = try localize(bound.0, parameters: bound.1, captures: &captures, at: lambda.location)
            bodies.append(LambdaBody(parameterCount: bound.1.count, body: local))
            texts.append("\(lambda.parameters.joined(separator: ",")) -> \(local.key)")
        }
        switch operation {
        case .transform:
            let bound = try bindLambda(lambdas[0], name, types: [element, .bigint], accepting: [1, 2])
            let body = bound.0.type == .null ? cast(bound.0, to: .integer) : bound.0
            try add(lambdas[0], (body, bound.1))
            resultType = .array(body.type)
        case .filter:
            let bound = try bindLambda(lambdas[0], name, types: [element, .bigint], accepting: [1, 2])
            try add(lambdas[0], (try boolean(bound.0, name, lambdas[0]), bound.1))
            resultType = values[0].type
        case .anyMatch, .allMatch, .noneMatch:
            let bound = try bindLambda(lambdas[0], name, types: [element], accepting: [1])
            try add(lambdas[0], (try boolean(bound.0, name, lambdas[0]), bound.1))
            resultType = .boolean
        case .zipWith:
            guard let other = values[1].type.elementType else { throw err("\(name) needs two ARRAYs", loc) }
            let bound = try bindLambda(lambdas[0], name, types: [element, other], accepting: [2])
            let body = bound.0.type == .null ? cast(bound.0, to: .integer) : bound.0
            try add(lambdas[0], (body, bound.1))
            resultType = .array(body.type)
        case .reduce, .listReduce:
            // The state's type: the initial value's (Trino), else the element's (DuckDB without one); widened when
            // the step returns a wider type (0 then s + x over BIGINT elements), then the step is bound again.
            let stepLambda = lambdas[0]
            let initialIndex = 1
            var state = values.count > initialIndex ? (values[initialIndex].type == .null ? element : values[initialIndex].type) : element
            var step = try bindLambda(stepLambda, name, types: [state, element, .bigint], accepting: operation == .reduce ? [2] : [2, 3])
            if step.0.type != state, step.0.type != .null {
                guard let wider = TypeCoercion.commonSuperType(state, step.0.type), wider == step.0.type || wider == state,
                      state.isNumeric == step.0.type.isNumeric else {
                    throw err("\(name): the lambda returns \(step.0.type), which does not fit the state's type \(state)", stepLambda.body.location)
                }
                if wider != state {
                    state = wider
                    step = try bindLambda(stepLambda, name, types: [state, element, .bigint], accepting: operation == .reduce ? [2] : [2, 3])
                }
            }
            if values.count > initialIndex { values[initialIndex] = cast(values[initialIndex], to: state) }
            try add(stepLambda, (cast(step.0, to: state), step.1))
            if operation == .reduce {
                let output = try bindLambda(lambdas[1], name, types: [state], accepting: [1])
                let body = output.0.type == .null ? cast(output.0, to: state) : output.0
                try add(lambdas[1], (body, output.1))
                resultType = body.type
            } else {
                resultType = state
            }
        case .transformKeys, .transformValues, .mapFilter, .mapZipWith:
            throw err("\(name) needs a MAP", loc)  // invariant: bound by bindMapLambda / bindMapZipWith above
        }
        var deterministic = true
        for b in bodies { b.body.forEachNode { if case let .call(fn, _, _) = $0, !fn.isDeterministic { deterministic = false } } }
        let function = LambdaFunctions.function(operation, name: "\(name)[\(texts.joined(separator: "; "))]", lambdas: bodies,
                                                fixedArguments: values.count, resultType: resultType, deterministic: deterministic)
        return .call(function, values + captures.expressions, resultType)
    }

    /// `transform_keys` / `transform_values` / `map_filter(m, (k, v) -> …)`.
    private func bindMapLambda(_ operation: LambdaFunctions.Operation, _ name: String, _ map: BoundExpression, _ lambda: LambdaExpression,
                               at loc: SourceLocation) throws -> BoundExpression {
        guard case let .map(keyType, valueType) = map.type else { throw err("\(name) needs a MAP as argument 1, not \(map.type)", loc) }
        let bound = try bindLambda(lambda, name, types: [keyType, valueType], accepting: [2])
        var body = bound.0
        let resultType: DataType
        switch operation {
        case .mapFilter:
            body = try boolean(body, name, lambda)
            resultType = map.type
        case .transformKeys:
            if body.type == .null { body = cast(body, to: keyType) }
            guard body.type.isOrderable else { throw err("\(name): map keys cannot be of type \(body.type)", lambda.body.location) }
            resultType = .map(key: body.type, value: valueType)
        default:
            if body.type == .null { body = cast(body, to: .integer) }
            resultType = .map(key: keyType, value: body.type)
        }
        var captures = LambdaCaptures()
        let local = try localize(body, parameters: bound.1, captures: &captures, at: lambda.location)
        var deterministic = true
        local.forEachNode { if case let .call(fn, _, _) = $0, !fn.isDeterministic { deterministic = false } }
        let function = LambdaFunctions.function(operation, name: "\(name)[\(lambda.parameters.joined(separator: ",")) -> \(local.key)]",
                                                lambdas: [LambdaBody(parameterCount: 2, body: local)], fixedArguments: 1,
                                                resultType: resultType, deterministic: deterministic)
        return .call(function, [map] + captures.expressions, resultType)
    }

    /// Trino's `map_zip_with(m1, m2, (k, v1, v2) -> …)`: both maps' keys brought to their common type, the lambda over
    /// every key of either map with its value in each (NULL where the map lacks the key).
    private func bindMapZipWith(_ name: String, _ first: BoundExpression, _ second: BoundExpression, _ lambda: LambdaExpression,
                                _ call: FunctionCall, at loc: SourceLocation) throws -> BoundExpression {
        var maps = [first, second]
        for k in 0 ..< 2 where maps[k].type != .null {
            guard maps[k].type.mapTypes != nil else {
                throw err("\(name) needs a MAP as argument \(k + 1), not \(maps[k].type)", call.arguments[k].location(default: loc))
            }
        }
        // An untyped NULL takes the other map's type (both NULL: MAP(INTEGER, INTEGER)).
        let typed = maps.first { $0.type != .null }?.type ?? .map(key: .integer, value: .integer)
        for k in 0 ..< 2 where maps[k].type == .null { maps[k] = cast(maps[k], to: typed) }
        guard case let .map(k1, v1) = maps[0].type, case let .map(k2, v2) = maps[1].type else { throw err("\(name) needs two MAPs", loc) }
        guard let key = TypeCoercion.commonSuperType(k1, k2), key.isOrderable else {
            throw err("\(name): the maps' keys have incompatible types \(k1) and \(k2)", loc)
        }
        maps[0] = cast(maps[0], to: .map(key: key, value: v1))
        maps[1] = cast(maps[1], to: .map(key: key, value: v2))
        let bound = try bindLambda(lambda, name, types: [key, v1, v2], accepting: [3])
        let body = bound.0.type == .null ? cast(bound.0, to: .integer) : bound.0
        let resultType = DataType.map(key: key, value: body.type)
        var captures = LambdaCaptures()
        let local = try localize(body, parameters: bound.1, captures: &captures, at: lambda.location)
        var deterministic = true
        local.forEachNode { if case let .call(fn, _, _) = $0, !fn.isDeterministic { deterministic = false } }
        let function = LambdaFunctions.function(.mapZipWith, name: "\(name)[\(lambda.parameters.joined(separator: ",")) -> \(local.key)]",
                                                lambdas: [LambdaBody(parameterCount: 3, body: local)], fixedArguments: 2,
                                                resultType: resultType, deterministic: deterministic)
        return .call(function, maps + captures.expressions, resultType)
    }

    /// The body bound with the parameters as fresh columns; returns it and the parameters' column ids.
    private func bindLambda(_ lambda: LambdaExpression, _ name: String, types: [DataType], accepting counts: [Int]) throws -> (BoundExpression, [Int]) {
        guard counts.contains(lambda.parameters.count) else {
            let wanted = counts.map(String.init).joined(separator: " or ")
            throw err("\(name): this lambda takes \(wanted) parameter\(counts == [1] ? "" : "s"), not \(lambda.parameters.count)", lambda.location)
        }
        if Set(lambda.parameters.map { $0.lowercased() }).count != lambda.parameters.count {
            throw err("\(name): the lambda's parameters must have distinct names", lambda.location)
        }
        var inner = self
        inner.aggregateHandler = nil
        inner.windowHandler = nil
        inner.groupingHandler = nil
        inner.clause = "a lambda body"
        var ids: [Int] = []
        for (k, parameter) in lambda.parameters.enumerated() {
            let id = binder.context.ids.make()
            ids.append(id)
            inner.lambdaParameters[parameter.lowercased()] = .column(id, types[k])
        }
        let body = try inner.bind(lambda.body)
        if body.containsSubquery { throw err("\(name): a lambda body cannot contain a subquery", lambda.body.location) }
        return (body, ids)
    }

    private func boolean(_ body: BoundExpression, _ name: String, _ lambda: LambdaExpression) throws -> BoundExpression {
        if body.type == .boolean { return body }
        if body.type == .null { return cast(body, to: .boolean) }
        throw err("\(name): the lambda must return BOOLEAN, not \(body.type)", lambda.body.location)
    }

    /// The body over its own batch: parameter k is column k, the j-th captured outer value column `parameters + j`.
    private func localize(_ body: BoundExpression, parameters: [Int], captures: inout LambdaCaptures, at loc: SourceLocation) throws -> BoundExpression {
        var local = captures
        let result = body.transformed { node -> BoundExpression? in
            switch node {
            case let .column(id, type):
                if let k = parameters.firstIndex(of: id) { return .column(k, type) }
                return .column(parameters.count + local.index(of: node), type)
            case let .parameter(_, type):
                return .column(parameters.count + local.index(of: node), type)
            default:
                return nil
            }
        }
        captures = local
        return result
    }
}

private extension FunctionArgument {
    func location(default loc: SourceLocation) -> SourceLocation {
        if case let .expression(e) = value { return e.location }
        return loc
    }
}
