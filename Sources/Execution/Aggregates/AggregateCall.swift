import Storage

/// The aggregate functions Tarn computes.
public enum AggregateKind: String, Sendable, CaseIterable {
    case countStar = "count_star", count, sum, avg, min, max
    case stddevSamp = "stddev_samp", stddevPop = "stddev_pop", varianceSamp = "var_samp", variancePop = "var_pop"
    case median, approxPercentile = "approx_percentile", quantileCont = "quantile_cont", approxDistinct = "approx_distinct"
    case boolAnd = "bool_and", boolOr = "bool_or", arbitrary
    /// SQLite `total()`: sum as DOUBLE, 0.0 over no rows.
    case total
    /// `group_concat(x [, sep])` / `string_agg(x, sep)` / `listagg`.
    case stringAgg = "string_agg"
    case mode
    /// Two-argument statistics over rows where both arguments are non-NULL.
    case covarSamp = "covar_samp", covarPop = "covar_pop", corr
    /// `max_by(x, y)` / `min_by(x, y)`: the value of `x` on the row with the largest / smallest `y`.
    case maxBy = "max_by", minBy = "min_by"
    /// `regr_slope(y, x)` / `regr_intercept(y, x)`: the least-squares line of y on x.
    case regrSlope = "regr_slope", regrIntercept = "regr_intercept"
    /// Higher moments and the geometric mean.
    case skewness, kurtosis, geometricMean = "geometric_mean"
    /// `bitwise_and_agg` / `bitwise_or_agg` over integers.
    case bitwiseAnd = "bitwise_and_agg", bitwiseOr = "bitwise_or_agg"
    /// `array_agg(x)` / `list(x)`: the group's values as an ARRAY.
    case arrayAgg = "array_agg"
    /// `map_agg(k, v)`, `histogram(x)`, `approx_most_frequent(buckets, x, capacity)`, `map_union(m)`,
    /// `multimap_agg(k, v)`: the group's values as a MAP.
    case mapAgg = "map_agg", histogram, approxMostFrequent = "approx_most_frequent", mapUnion = "map_union", multimapAgg = "multimap_agg"
}

/// One aggregate to compute in a hash or simple aggregate: function, argument expressions over the
/// input batch, DISTINCT, optional FILTER, and result type (decided by the binder).
public struct AggregateCall: Sendable {
    public var kind: AggregateKind
    public var arguments: [BoundExpression]
    public var distinct: Bool
    public var filter: BoundExpression?
    public var resultType: DataType
    /// Constant parameters, e.g. the percentile of approx_percentile (0.5), the separator of string_agg.
    public var parameters: [Value]

    public init(kind: AggregateKind, arguments: [BoundExpression], distinct: Bool = false, filter: BoundExpression? = nil,
                resultType: DataType, parameters: [Value] = []) {
        self.kind = kind; self.arguments = arguments; self.distinct = distinct; self.filter = filter
        self.resultType = resultType; self.parameters = parameters
    }
}

/// A sort key over the input batch.
public struct SortKey: Sendable {
    public var expression: BoundExpression
    public var ascending: Bool
    public var nullsFirst: Bool
    public init(expression: BoundExpression, ascending: Bool = true, nullsFirst: Bool = false) {
        self.expression = expression; self.ascending = ascending; self.nullsFirst = nullsFirst
    }
}

/// Window functions (ranking, offset and value functions); aggregates over windows use `AggregateKind`.
public enum WindowFunctionKind: Sendable {
    case rowNumber, rank, denseRank, percentRank, cumeDist, ntile
    case lag, lead, firstValue, lastValue, nthValue
    case aggregate(AggregateKind)
    /// Marketing-mix adstock: `geometric_adstock(x, alpha, max_lag)`, `weibull_adstock(x, shape, scale, max_lag)`.
    case geometricAdstock, weibullAdstock
}

/// A window frame over rows or ranges relative to the current row.
public struct WindowFrameSpec: Sendable {
    public enum Unit: Sendable { case rows, range }
    public enum Bound: Sendable {
        case unboundedPreceding
        /// Offset rows (ROWS) or value distance (RANGE) before the current row.
        case preceding(Value)
        case currentRow
        case following(Value)
        case unboundedFollowing
    }
    public var unit: Unit
    public var start: Bound
    public var end: Bound
    public init(unit: Unit, start: Bound, end: Bound) { self.unit = unit; self.start = start; self.end = end }
    /// SQL default with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
    public static let defaultWithOrder = WindowFrameSpec(unit: .range, start: .unboundedPreceding, end: .currentRow)
    /// SQL default without ORDER BY: the whole partition.
    public static let wholePartition = WindowFrameSpec(unit: .rows, start: .unboundedPreceding, end: .unboundedFollowing)
}

/// One window function call: function, arguments, partitioning, ordering and frame. Output is appended
/// as a new column after the input columns.
public struct WindowCall: Sendable {
    public var kind: WindowFunctionKind
    public var arguments: [BoundExpression]
    public var partitionBy: [BoundExpression]
    public var orderBy: [SortKey]
    public var frame: WindowFrameSpec
    public var ignoreNulls: Bool
    public var distinct: Bool
    public var resultType: DataType
    public init(kind: WindowFunctionKind, arguments: [BoundExpression], partitionBy: [BoundExpression], orderBy: [SortKey],
                frame: WindowFrameSpec, ignoreNulls: Bool = false, distinct: Bool = false, resultType: DataType) {
        self.kind = kind; self.arguments = arguments; self.partitionBy = partitionBy; self.orderBy = orderBy
        self.frame = frame; self.ignoreNulls = ignoreNulls; self.distinct = distinct; self.resultType = resultType
    }
}

/// Join kinds the executor implements. `semi`/`anti` output left columns only; `mark` appends one
/// BOOLEAN column (TRUE matched, FALSE not, NULL when only NULL comparisons) for IN/EXISTS in expressions.
public enum PhysicalJoinKind: String, Sendable {
    case inner, left, right, full, semi, anti, mark
    /// Semi / anti join that hashes the (smaller) left input of the logical join as the build side and
    /// emits, after the probe, the build rows that matched (semi) or did not (anti). Build columns only.
    case rightSemi = "right_semi", rightAnti = "right_anti"
    /// Each left row with at least one match, once, plus its number of matches (BIGINT); equality keys only.
    case count
}
