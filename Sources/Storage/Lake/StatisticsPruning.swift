/// Decides from min/max/null-count statistics whether a row group (or file) can hold a row satisfying a predicate.
/// Conservative: answers `true` ("may match") whenever it cannot prove otherwise.
public enum StatisticsPruning {
    /// `statistics == nil` means the column is absent from the data (every value NULL).
    static func mayMatch(_ predicate: ColumnPredicate, statistics: ColumnStatistics?, rowCount: Int) -> Bool {
        predicate.evaluate { simpleMayMatch($0, statistics: statistics, rowCount: rowCount) }
    }

    private static func simpleMayMatch(_ predicate: ColumnPredicate, statistics: ColumnStatistics?, rowCount: Int) -> Bool {
        guard let s = statistics else {
            // The column did not exist when the data was written: every value is NULL.
            return predicate.comparison == .isNull && rowCount > 0
        }
        switch predicate.comparison {
        case .isNull: return s.nullCount > 0
        case .isNotNull: return s.nullCount < s.rowCount
        default: break
        }
        if predicate.value.isNull { return false }            // x <op> NULL is never true
        if s.rowCount > 0 && s.nullCount >= s.rowCount { return false }  // all NULL
        guard let min = s.min, let max = s.max else { return true }
        guard let lo = compare(min, predicate.value), let hi = compare(max, predicate.value) else { return true }
        switch predicate.comparison {
        case .equal: return lo <= 0 && hi >= 0
        case .notEqual: return !(lo == 0 && hi == 0)
        case .less: return lo < 0
        case .lessOrEqual: return lo <= 0
        case .greater: return hi > 0
        case .greaterOrEqual: return hi >= 0
        case .isNull, .isNotNull, .anyOf, .allOf: return true
        }
    }

    /// Whether every row of a row group (or file) satisfies the predicate, so a filter stating exactly it can be
    /// skipped there. Conservative: only for integer, DATE, TIMESTAMP and DECIMAL columns (exact statistics, no
    /// NaN or collation questions), only without NULLs (a NULL row never satisfies a comparison), and only with
    /// a constant of the column's own type. `statistics == nil` means the column is absent (every value NULL).
    static func mustMatch(_ predicate: ColumnPredicate, statistics: ColumnStatistics?, rowCount: Int) -> Bool {
        predicate.evaluate { simpleMustMatch($0, statistics: statistics, rowCount: rowCount) }
    }

    private static func simpleMustMatch(_ predicate: ColumnPredicate, statistics: ColumnStatistics?, rowCount: Int) -> Bool {
        guard let s = statistics else { return predicate.comparison == .isNull }
        guard s.rowCount == rowCount else { return false }
        switch predicate.comparison {
        case .isNull: return s.nullCount == rowCount
        case .isNotNull: return s.nullCount == 0
        default: break
        }
        guard s.nullCount == 0, rowCount > 0, let min = s.min, let max = s.max else { return false }
        switch predicate.value {
        case .integer, .bigint, .date, .timestamp, .decimal, .decimal128, .timestampTZ: break
        default: return false
        }
        guard let lo = compare(min, predicate.value), let hi = compare(max, predicate.value) else { return false }
        switch predicate.comparison {
        case .equal: return lo == 0 && hi == 0
        case .notEqual: return lo > 0 || hi < 0
        case .less: return hi < 0
        case .lessOrEqual: return hi <= 0
        case .greater: return lo > 0
        case .greaterOrEqual: return lo >= 0
        case .isNull, .isNotNull, .anyOf, .allOf: return false
        }
    }

    /// Three-way comparison of two values of the same type; nil when they are not comparable (then: keep).
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case let (.boolean(x), .boolean(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.integer(x), .integer(y)): return order(x, y)
        case let (.bigint(x), .bigint(y)): return order(x, y)
        case let (.date(x), .date(y)): return order(x, y)
        case let (.timestamp(x), .timestamp(y)): return order(x, y)
        case let (.timestampTZ(x), .timestampTZ(y)): return order(x, y)
        case let (.decimal(x, sx), .decimal(y, sy)) where sx == sy: return order(x, y)
        case let (.decimal128(x, sx), .decimal128(y, sy)) where sx == sy: return order(x, y)
        case let (.decimal128(x, sx), .decimal(y, sy)) where sx == sy: return order(x, Int128(y))
        case let (.decimal(x, sx), .decimal128(y, sy)) where sx == sy: return order(Int128(x), y)
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { return nil }
            return order(x, y)
        case let (.varchar(x), .varchar(y)):
            // UTF-8 byte order, as the writer computes string statistics.
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x.utf8.elementsEqual(y.utf8) ? 0 : 1)
        default: return nil
        }
    }

    private static func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
}
