import Storage

/// Decides from a column chunk's statistics whether its row group can hold a row satisfying a predicate
/// (`column op constant`, `IS [NOT] NULL`). Conservative: "may match" whenever it cannot prove otherwise.
///
/// Only statistics whose order is certain are used: the `min_value`/`max_value` fields (ordered by the
/// column's sort order), or the legacy `min`/`max` for signed integer columns; never for floating point (NaN),
/// unsigned integers, INT96 or DECIMAL on bytes. Strings compare as UTF-8 bytes, as Parquet orders them.
public enum StatisticsFilter {
    public static func mayMatch(_ predicate: ColumnPredicate, column: ParquetColumn, statistics: Statistics?, rows: Int64) -> Bool {
        predicate.evaluate { simpleMayMatch($0, column: column, statistics: statistics, rows: rows) }
    }

    private static func simpleMayMatch(_ predicate: ColumnPredicate, column: ParquetColumn, statistics: Statistics?, rows: Int64) -> Bool {
        guard let s = statistics else { return true }
        switch predicate.comparison {
        case .isNull: return s.nullCount.map { $0 > 0 } ?? true
        case .isNotNull: return s.nullCount.map { $0 < rows } ?? true
        default: break
        }
        if let nulls = s.nullCount, nulls >= rows, rows > 0 { return false }  // all NULL: no comparison holds
        guard let (minBytes, maxBytes) = bounds(s, column), let lo = column.statisticValue(minBytes),
              let hi = column.statisticValue(maxBytes),
              let cLo = compare(lo, predicate.value), let cHi = compare(hi, predicate.value) else { return true }
        switch predicate.comparison {
        case .equal: return cLo <= 0 && cHi >= 0
        case .notEqual: return !(cLo == 0 && cHi == 0)
        case .less: return cLo < 0
        case .lessOrEqual: return cLo <= 0
        case .greater: return cHi > 0
        case .greaterOrEqual: return cHi >= 0
        case .isNull, .isNotNull, .anyOf, .allOf: return true
        }
    }

    /// The min and max bytes to trust for this column, or nil.
    static func bounds(_ s: Statistics, _ c: ParquetColumn) -> ([UInt8], [UInt8])? {
        switch c.conversion {
        case .identity, .multiply, .divide, .int32ToInt64(unsigned: false):
            break
        default:
            return nil
        }
        switch c.physical {
        case .int32, .int64:
            if let lo = s.minValue, let hi = s.maxValue { return (lo, hi) }
            if let lo = s.min, let hi = s.max { return (lo, hi) }  // signed order, right for signed integers
            return nil
        case .byteArray, .fixedLenByteArray:
            guard c.field.type == .varchar, let lo = s.minValue, let hi = s.maxValue else { return nil }
            return (lo, hi)
        default:
            return nil
        }
    }

    /// Three-way comparison of a statistic with a predicate's constant, or nil when they are not comparable
    /// exactly (then nothing is skipped).
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case let (.integer(x), .integer(y)): return sign(x, y)
        case let (.integer(x), .bigint(y)): return sign(Int64(x), y)
        case let (.bigint(x), .integer(y)): return sign(x, Int64(y))
        case let (.bigint(x), .bigint(y)): return sign(x, y)
        case let (.date(x), .date(y)): return sign(x, y)
        case let (.timestamp(x), .timestamp(y)): return sign(x, y)
        case let (.decimal(x, s1), .decimal(y, s2)) where s1 == s2: return sign(x, y)
        case let (.varchar(x), .varchar(y)):
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (x.utf8.elementsEqual(y.utf8) ? 0 : 1)
        default: return nil
        }
    }
}
