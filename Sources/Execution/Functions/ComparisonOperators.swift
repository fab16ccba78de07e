import Foundation
import Storage

/// `= <> < <= > >=` and IS [NOT] DISTINCT FROM. Operands are widened to their common super type by the
/// binder; kernels compare physical buffers (strings byte-wise in UTF-8 order). Comparing a column with a
/// constant takes a fast path; on a dictionary column the constant is compared once per dictionary entry.
enum ComparisonOperators {
    enum Operation: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        /// The operation with operands swapped (`a < b` ⇔ `b > a`).
        var flipped: Operation {
            switch self {
            case .equal, .notEqual: return self
            case .less: return .greater
            case .lessOrEqual: return .greaterOrEqual
            case .greater: return .less
            case .greaterOrEqual: return .lessOrEqual
            }
        }

        /// Whether a three-way comparison result (−1, 0, 1) satisfies the operation.
        @inline(__always) func holds(_ c: Int) -> Bool {
            switch self {
            case .equal: return c == 0
            case .notEqual: return c != 0
            case .less: return c < 0
            case .lessOrEqual: return c <= 0
            case .greater: return c > 0
            case .greaterOrEqual: return c >= 0
            }
        }
    }

    static var definitions: [FunctionDefinition] {
        var defs = Operation.allCases.map { op in
            FunctionDefinition(op.rawValue, signatures: ["\(op.rawValue)(T, T) → BOOLEAN for any T with a common super type"],
                               resolver: { args, _ in
                guard args.count == 2, let t = commonType(args[0], args[1]) else { return nil }
                return ResolvedFunction(function: ScalarFunction(name: op.rawValue, kernel: { a, _, _ in try compare(a[0], a[1], op) }),
                                        parameterTypes: [t, t], returnType: .boolean)
            })
        }
        defs.append(FunctionDefinition("!=", signatures: ["!=(T, T) → BOOLEAN"], resolver: { args, _ in
            guard args.count == 2, let t = commonType(args[0], args[1]) else { return nil }
            return ResolvedFunction(function: ScalarFunction(name: "<>", kernel: { a, _, _ in try compare(a[0], a[1], .notEqual) }),
                                    parameterTypes: [t, t], returnType: .boolean)
        }))
        for (name, distinct) in [("is_distinct_from", true), ("is_not_distinct_from", false)] {
            defs.append(FunctionDefinition(name, signatures: ["\(name)(T, T) → BOOLEAN"], resolver: { args, _ in
                guard args.count == 2, let t = commonType(args[0], args[1]) else { return nil }
                return ResolvedFunction(function: ScalarFunction(name: name, kernel: { a, _, _ in try isDistinct(a[0], a[1], distinct) }),
                                        parameterTypes: [t, t], returnType: .boolean)
            }))
        }
        return defs
    }

    private static func commonType(_ a: DataType, _ b: DataType) -> DataType? {
        guard let t = TypeCoercion.commonSuperType(a, b) else { return nil }
        return t == .null ? .integer : t
    }

    // MARK: Column × column

    /// Element-wise comparison; NULL where either side is NULL.
    static func compare(_ x: Column, _ y: Column, _ op: Operation) throws -> Column {
        let n = x.count
        if x.type == .null || y.type == .null { return Column.nulls(.boolean, count: n) }
        let validity = ColumnKernels.intersect(x.validity, y.validity)
        let values: [Bool]
        switch (x.data, y.data) {
        case let (.int32(a), .int32(b)): values = compareBuffers(a, b, op)
        case let (.double(a), .double(b)): values = compareBuffers(a, b, op)
        case (.int64, .int64), (.int32, .int64), (.int64, .int32):
            values = compareBuffers(try ColumnKernels.int64s(x), try ColumnKernels.int64s(y), op)
        case (.int128, _), (_, .int128):
            // Both sides were cast to one DECIMAL type (the same scale); a DECIMAL(≤18) side is widened.
            values = compareBuffers(try ColumnKernels.int128s(x), try ColumnKernels.int128s(y), op)
        case let (.bool(a), .bool(b)): values = compareBuffers(a.map { $0 ? 1 as UInt8 : 0 }, b.map { $0 ? 1 as UInt8 : 0 }, op)
        case (.string, _), (.dictionary, _):
            let rx = try StringColumnReader(x), ry = try StringColumnReader(y)
            // A one-entry dictionary compares as a constant, but its own NULL rows stay NULL (their codes point at
            // the entry too): the constant path knows only the other side's mask.
            if let constant = ry.constantString {
                var result = try compare(x, constantValue: .varchar(constant), op)
                result.validity = ColumnKernels.intersect(result.validity, y.validity)
                return result
            }
            if let constant = rx.constantString {
                var result = try compare(y, constantValue: .varchar(constant), op.flipped)
                result.validity = ColumnKernels.intersect(result.validity, x.validity)
                return result
            }
            values = (0..<n).map { i in op.holds(rx.strings.compare(rx.index(i), ry.strings, ry.index(i))) }
        default:
            if x.type.isNumeric, y.type.isNumeric {
                values = compareBuffers(try ColumnKernels.numericAsDoubles(x), try ColumnKernels.numericAsDoubles(y), op)
            } else {
                throw TarnError(.internal, "cannot compare \(x.type) with \(y.type)")
            }
        }
        return Column(type: .boolean, data: .bool(values), validity: validity)
    }

    @inline(__always)
    static func compareBuffers<T: Comparable>(_ a: [T], _ b: [T], _ op: Operation) -> [Bool] {
        switch op {
        case .equal: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 == $1 }
        case .notEqual: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 != $1 }
        case .less: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 < $1 }
        case .lessOrEqual: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 <= $1 }
        case .greater: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 > $1 }
        case .greaterOrEqual: return ColumnKernels.map2(a, b, nil, placeholder: false) { $0 >= $1 }
        }
    }

    // MARK: Column × constant

    /// Fast path used by the evaluator for `column op constant` (either order). Nil when not applicable.
    static func evaluateAgainstConstant(_ function: ScalarFunction, _ arguments: [BoundExpression],
                                        _ batch: Batch, _ ctx: ExecutionContext) throws -> Column? {
        guard arguments.count == 2, let op = Operation(rawValue: function.name) else { return nil }
        let other: BoundExpression, value: Value, valueType: DataType, effective: Operation
        switch (arguments[0], arguments[1]) {
        case (_, .constant(let v, let t)): other = arguments[0]; value = v; valueType = t; effective = op
        case (.constant(let v, let t), _): other = arguments[1]; value = v; valueType = t; effective = op.flipped
        default: return nil
        }
        guard other.type.physical == valueType.physical || value.isNull else { return nil }
        if case .decimal(_, let s1) = other.type, case .decimal(_, let s2) = valueType, s1 != s2 { return nil }
        let x = try ExpressionEvaluator.evaluate(other, batch, ctx)
        if value.isNull || x.type == .null { return Column.nulls(.boolean, count: batch.count) }
        let typed = try ExpressionEvaluator.constantColumn(value, type: valueType, count: 1, ctx).value(at: 0)
        return try compare(x, constantValue: typed, effective)
    }

    /// `x op constant` for every row of `x`.
    static func compare(_ x: Column, constantValue: Value, _ op: Operation) throws -> Column {
        let values: [Bool]
        switch (x.data, constantValue) {
        case let (.int32(a), .integer(c)), let (.int32(a), .date(c)): values = compareToConstant(a, c, op)
        case let (.int64(a), .bigint(c)), let (.int64(a), .timestamp(c)), let (.int64(a), .decimal(c, _)), let (.int64(a), .timestampTZ(c)):
            values = compareToConstant(a, c, op)
        case let (.int64(a), .integer(c)): values = compareToConstant(a, Int64(c), op)
        case let (.int128(a), .decimal128(c, _)): values = compareToConstant(a, c, op)
        case let (.int128(a), .decimal(c, _)): values = compareToConstant(a, Int128(c), op)
        case let (.double(a), .double(c)): values = compareToConstant(a, c, op)
        case let (.bool(a), .boolean(c)): values = compareToConstant(a.map { $0 ? 1 as UInt8 : 0 }, c ? 1 : 0, op)
        case let (.dictionary(codes, dictionary), .varchar(c)):
            let perEntry = stringMatches(dictionary, c, op)
            values = ColumnKernels.map(codes, nil, placeholder: false) { perEntry[Int($0)] }
        case let (.string(strings), .varchar(c)): values = stringMatches(strings, c, op)
        default:
            throw TarnError(.internal, "cannot compare \(x.type) with constant \(constantValue)")
        }
        return Column(type: .boolean, data: .bool(values), validity: x.validity)
    }

    @inline(__always)
    static func compareToConstant<T: Comparable>(_ a: [T], _ c: T, _ op: Operation) -> [Bool] {
        switch op {
        case .equal: return ColumnKernels.map(a, nil, placeholder: false) { $0 == c }
        case .notEqual: return ColumnKernels.map(a, nil, placeholder: false) { $0 != c }
        case .less: return ColumnKernels.map(a, nil, placeholder: false) { $0 < c }
        case .lessOrEqual: return ColumnKernels.map(a, nil, placeholder: false) { $0 <= c }
        case .greater: return ColumnKernels.map(a, nil, placeholder: false) { $0 > c }
        case .greaterOrEqual: return ColumnKernels.map(a, nil, placeholder: false) { $0 >= c }
        }
    }

    /// Compares every string of `strings` with `constant` byte-wise.
    static func stringMatches(_ strings: StringArray, _ constant: String, _ op: Operation) -> [Bool] {
        let key = Array(constant.utf8)
        let n = strings.count
        return key.withUnsafeBufferPointer { k in
            strings.bytes.withUnsafeBufferPointer { bytes in
                strings.offsets.withUnsafeBufferPointer { offsets in
                    [Bool](unsafeUninitializedCapacity: n) { out, c in
                        for i in 0..<n {
                            let lo = offsets[i], len = offsets[i + 1] - lo
                            if op == .equal || op == .notEqual {
                                var same = len == k.count
                                if same, len > 0, let pa = bytes.baseAddress, let pk = k.baseAddress { same = memcmp(pa + lo, pk, len) == 0 }
                                out[i] = same == (op == .equal)
                            } else {
                                out[i] = op.holds(compareBytes(UnsafeBufferPointer(rebasing: bytes[lo..<(lo + len)]), k))
                            }
                        }
                        c = n
                    }
                }
            }
        }
    }

    /// Byte-wise three-way comparison (UTF-8 order is code point order).
    @inline(__always)
    static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    // MARK: IS DISTINCT FROM

    static func isDistinct(_ x: Column, _ y: Column, _ distinct: Bool) throws -> Column {
        let n = x.count
        let xNull = x.type == .null ? [UInt8](repeating: 0, count: n) : (x.validity ?? [UInt8](repeating: 1, count: n))
        let yNull = y.type == .null ? [UInt8](repeating: 0, count: n) : (y.validity ?? [UInt8](repeating: 1, count: n))
        var equal = [Bool](repeating: false, count: n)
        if x.type != .null, y.type != .null {
            let stripped = try compare(Column(type: x.type, data: x.data), Column(type: y.type, data: y.data), .equal)
            equal = try ColumnKernels.bools(stripped)
        }
        let values = (0..<n).map { i -> Bool in
            let same = xNull[i] == 0 || yNull[i] == 0 ? xNull[i] == yNull[i] : equal[i]
            return same != distinct
        }
        return Column(type: .boolean, data: .bool(values))
    }
}
