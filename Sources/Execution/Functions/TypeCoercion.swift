import Storage

/// Trino's implicit type widening, used by the binder for operators, CASE, COALESCE, IN, UNION and
/// comparisons, and by function resolution to rank overloads.
///
/// Rules: NULL → anything; INTEGER → BIGINT → DECIMAL → DOUBLE (INTEGER as DECIMAL(10,0), BIGINT as
/// DECIMAL(19,0), as Trino's); DECIMAL(p,s) → DECIMAL with enough integer digits and
/// scale; DATE → TIMESTAMP; VARCHAR → DATE / TIMESTAMP (so `d = '2024-01-01'` compares as dates).
/// Nothing widens to or from BOOLEAN, and numbers never become VARCHAR implicitly.
/// DATE, TIMESTAMP and VARCHAR widen to TIMESTAMP WITH TIME ZONE (through the session zone, as DuckDB's); a
/// TIMESTAMP WITH TIME ZONE argument may also stand for a TIMESTAMP parameter (its local time), at a higher cost.
public enum TypeCoercion {
    /// The narrowest type both `a` and `b` convert to implicitly, or nil when they are incompatible.
    public static func commonSuperType(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        switch (a, b) {
        case let (.array(x), .array(y)): return commonSuperType(x, y).map { .array($0) }
        case let (.row(x), .row(y)):
            // Field by field in order; the first row's names.
            guard x.count == y.count else { return nil }
            var fields: [RowField] = []
            for (f, g) in zip(x, y) {
                guard let t = commonSuperType(f.type, g.type) else { return nil }
                fields.append(RowField(name: f.name, type: t))
            }
            return .row(fields)
        case let (.map(k1, v1), .map(k2, v2)):
            guard let k = commonSuperType(k1, k2), let v = commonSuperType(v1, v2) else { return nil }
            return .map(key: k, value: v)
        case (.null, _): return b
        case (_, .null): return a
        case (.integer, .bigint), (.bigint, .integer): return .bigint
        case (.double, _) where b.isNumeric, (_, .double) where a.isNumeric: return .double
        case let (.decimal(p1, s1), .decimal(p2, s2)):
            let scale = max(s1, s2)
            let integerDigits = max(p1 - s1, p2 - s2)
            return .decimal(precision: min(DataType.maxDecimalPrecision, integerDigits + scale), scale: scale)
        case (.decimal, .integer), (.decimal, .bigint): return commonSuperType(a, decimalEquivalent(b))
        case (.integer, .decimal), (.bigint, .decimal): return commonSuperType(decimalEquivalent(a), b)
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        case (.varchar, .date), (.date, .varchar): return .date
        case (.varchar, .timestamp), (.timestamp, .varchar): return .timestamp
        case (.timestamp, .timestampTZ), (.timestampTZ, .timestamp), (.date, .timestampTZ), (.timestampTZ, .date),
             (.varchar, .timestampTZ), (.timestampTZ, .varchar): return .timestampTZ
        default: return nil
        }
    }

    /// Common super type of several types (nil when some pair is incompatible; `.null` for an empty list).
    public static func commonSuperType(_ types: [DataType]) -> DataType? {
        var result: DataType = .null
        for t in types {
            guard let r = commonSuperType(result, t) else { return nil }
            result = r
        }
        return result
    }

    /// Whether a value of type `from` may be converted to `to` without an explicit CAST.
    public static func canImplicitlyCast(from: DataType, to: DataType) -> Bool {
        castCost(from: from, to: to) != nil
    }

    /// The DECIMAL an integer type widens to (INTEGER → DECIMAL(10,0), BIGINT → DECIMAL(19,0)).
    public static func decimalEquivalent(_ t: DataType) -> DataType {
        switch t {
        case .integer: return .decimal(precision: 10, scale: 0)
        case .bigint: return .decimal(precision: 19, scale: 0)
        default: return t
        }
    }

    /// Cost of an implicit conversion (0 = none needed), nil when not allowed. Lower is preferred.
    static func castCost(from: DataType, to: DataType) -> Int? {
        if from == to { return 0 }
        switch (from, to) {
        case let (.array(x), .array(y)): return castCost(from: x, to: y)
        case let (.row(x), .row(y)):
            guard x.count == y.count else { return nil }
            var total = 0
            for (f, g) in zip(x, y) { guard let c = castCost(from: f.type, to: g.type) else { return nil }; total += c }
            return total
        case let (.map(k1, v1), .map(k2, v2)):
            guard let k = castCost(from: k1, to: k2), let v = castCost(from: v1, to: v2) else { return nil }
            return k + v
        case (.null, _): return 1
        case (.integer, .bigint): return 1
        case (.integer, .decimal(let p, let s)): return p - s >= 10 ? 2 : nil
        case (.bigint, .decimal(let p, let s)): return p - s >= 19 ? 2 : nil
        case let (.decimal(p1, s1), .decimal(p2, s2)): return s2 >= s1 && p2 - s2 >= p1 - s1 ? 1 : nil
        case (.integer, .double), (.bigint, .double): return 4
        case (.decimal, .double): return 3
        case (.date, .timestamp): return 2
        case (.varchar, .date), (.varchar, .timestamp): return 6
        case (.timestamp, .timestampTZ): return 3
        case (.date, .timestampTZ): return 4
        case (.timestampTZ, .timestamp): return 5
        case (.varchar, .timestampTZ): return 7
        default: return nil
        }
    }
}
