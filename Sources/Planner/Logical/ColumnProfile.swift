import Foundation
import Storage

/// What the data files' statistics tell the planner about one table column: its distinct non-NULL values, the
/// fraction of NULL rows and, for numeric and temporal columns, the range of its values.
///
/// Distinct values combine each file's own estimate (`ColumnStatistics.distinctCount`, a HyperLogLog estimate
/// recorded at write time) with what min/max imply: a file holds at most its non-NULL rows and, for integer-like
/// values, at most `max − min + 1` distinct values. Over the files, the counts add up as far as the files' value
/// ranges are disjoint (keys written in order) and overlap to the largest file's count when every file covers the
/// same range (a dimension value repeated in every daily file). Files written before the estimate existed fall back
/// to the min/max bounds, and to "unknown" for strings and doubles.
struct ColumnProfile {
    /// Estimated distinct non-NULL values; nil when unknown.
    var distinct: Double?
    /// NULL rows over all rows (0 for an empty table).
    var nullFraction: Double
    /// Smallest and largest value as numbers (`ColumnProfile.magnitude`), when the column is numeric or temporal.
    var low: Double?
    var high: Double?

    /// The profile of column `tableColumn` of a snapshot; nil when a non-empty file has no statistics for it.
    static func of(_ snapshot: TableSnapshot, tableColumn: Int) -> ColumnProfile? {
        guard tableColumn >= 0, tableColumn < snapshot.columnIds.count else { return nil }
        let columnId = snapshot.columnIds[tableColumn]
        var rows = 0.0, nulls = 0.0
        var perFileSum = 0.0, largestFile = 0.0, widthSum = 0.0
        var distinctKnown = true, numeric = true, nearUnique = true
        var low = Double.infinity, high = -Double.infinity
        var spanLow = Double.infinity, spanHigh = -Double.infinity, spanKnown = true
        var ranges: [(Value, Value)] = []
        for file in snapshot.files {
            guard let stats = file.columnStatistics[columnId] else {
                if file.rowCount == 0 { continue }
                return nil
            }
            rows += Double(stats.rowCount)
            nulls += Double(stats.nullCount)
            let values = Double(max(0, stats.rowCount - stats.nullCount))
            guard values > 0 else { continue }
            var bound = values
            var known = stats.distinctCount != nil
            if let d = stats.distinctCount { bound = min(bound, Double(max(1, d))) }
            if let lo = stats.min.flatMap(ordinal), let hi = stats.max.flatMap(ordinal), hi >= lo {
                bound = min(bound, hi - lo + 1)
                known = true
                spanLow = min(spanLow, lo); spanHigh = max(spanHigh, hi)
            } else {
                spanKnown = false
            }
            if let lo = stats.min.flatMap(magnitude), let hi = stats.max.flatMap(magnitude), hi >= lo {
                low = min(low, lo); high = max(high, hi)
                widthSum += hi - lo
            } else {
                numeric = false
            }
            if let lo = stats.min, let hi = stats.max { ranges.append((lo, hi)) }
            distinctKnown = distinctKnown && known
            perFileSum += bound
            largestFile = max(largestFile, bound)
            nearUnique = nearUnique && bound >= 0.5 * values
        }
        let nonNull = rows - nulls
        var profile = ColumnProfile(distinct: nil, nullFraction: rows > 0 ? nulls / rows : 0, low: nil, high: nil)
        if numeric, low <= high { profile.low = low; profile.high = high }
        guard nonNull > 0 else { profile.distinct = 0; return profile }
        guard distinctKnown else { return profile }
        var distinct: Double
        if nearUnique || ranges.count <= 1 {
            distinct = perFileSum
        } else if numeric, widthSum > 0 {
            // The union of the files' ranges over the sum of their widths: 1 when disjoint, 1/files when all equal.
            distinct = max(largestFile, perFileSum * min(1, (high - low) / widthSum))
        } else {
            distinct = disjoint(ranges) ? perFileSum : largestFile
        }
        if spanKnown, spanHigh >= spanLow { distinct = min(distinct, spanHigh - spanLow + 1) }
        profile.distinct = max(1, min(distinct, nonNull))
        return profile
    }

    /// Whether no two of the files' [min, max] ranges overlap.
    private static func disjoint(_ ranges: [(Value, Value)]) -> Bool {
        let sorted = ranges.sorted { (StatisticsPruning.compare($0.0, $1.0) ?? 0) < 0 }
        for i in sorted.indices.dropFirst() {
            guard let order = StatisticsPruning.compare(sorted[i - 1].1, sorted[i].0), order < 0 else { return false }
        }
        return true
    }

    /// An integer-like value as its ordinal (unscaled for decimals), for spans; nil for other types.
    static func ordinal(_ v: Value) -> Double? {
        switch v {
        case let .integer(x): return Double(x)
        case let .bigint(x): return Double(x)
        case let .date(x): return Double(x)
        case let .timestamp(x): return Double(x)
        case let .timestampTZ(x): return Double(x)
        case let .decimal(x, _): return Double(x)
        case let .decimal128(x, _): return Double(x)
        case let .boolean(x): return x ? 1 : 0
        default: return nil
        }
    }

    /// A numeric or temporal value as a number on its own scale (decimals scaled, dates in days, timestamps in
    /// microseconds), for range fractions; nil for other types and NaN.
    static func magnitude(_ v: Value) -> Double? {
        switch v {
        case let .decimal(x, s): return Double(x) / pow(10, Double(s))
        case let .decimal128(x, s): return Double(x) / pow(10, Double(s))
        case let .double(x): return x.isFinite ? x : nil
        case .boolean: return nil
        default: return ordinal(v)
        }
    }
}
