import Storage
import Execution

/// Names of aggregate functions and the result type of each.
enum AggregateCatalog {
    static let kinds: [String: AggregateKind] = [
        "count": .count, "sum": .sum, "avg": .avg, "mean": .avg, "min": .min, "max": .max,
        "stddev": .stddevSamp, "stddev_samp": .stddevSamp, "stddev_pop": .stddevPop,
        "variance": .varianceSamp, "var_samp": .varianceSamp, "var_pop": .variancePop,
        "median": .median, "approx_percentile": .approxPercentile, "quantile_cont": .quantileCont, "quantile": .quantileCont,
        "percentile_cont": .quantileCont,
        "approx_distinct": .approxDistinct, "approx_count_distinct": .approxDistinct,
        "bool_and": .boolAnd, "every": .boolAnd, "bool_or": .boolOr,
        "arbitrary": .arbitrary, "any_value": .arbitrary, "first": .arbitrary,
        "total": .total, "group_concat": .stringAgg, "string_agg": .stringAgg, "listagg": .stringAgg,
        "mode": .mode,
        "covar_samp": .covarSamp, "covar_pop": .covarPop, "corr": .corr, "max_by": .maxBy, "min_by": .minBy, "arg_max": .maxBy, "arg_min": .minBy,
        "regr_slope": .regrSlope, "regr_intercept": .regrIntercept, "skewness": .skewness, "kurtosis": .kurtosis,
        "geometric_mean": .geometricMean, "geomean": .geometricMean,
        "array_agg": .arrayAgg, "list": .arrayAgg,
        "map_agg": .mapAgg, "histogram": .histogram, "approx_most_frequent": .approxMostFrequent, "map_union": .mapUnion,
        "multimap_agg": .multimapAgg,
        "bitwise_and_agg": .bitwiseAnd, "bit_and": .bitwiseAnd, "bitwise_or_agg": .bitwiseOr, "bit_or": .bitwiseOr,
    ]

    /// Aggregates whose second argument is a per-row value, not a constant parameter.
    static let twoColumn: Set<AggregateKind> = [.covarSamp, .covarPop, .corr, .maxBy, .minBy, .regrSlope, .regrIntercept, .mapAgg, .multimapAgg]

    static func isAggregate(_ name: String) -> Bool { kinds[name] != nil || name == "count_if" }

    /// Result type of `kind` over an argument of type `t`.
    static func resultType(_ kind: AggregateKind, _ t: DataType?) -> DataType? {
        switch kind {
        case .countStar, .count, .approxDistinct: return .bigint
        case .sum:
            guard let t else { return nil }
            switch t {
            case .integer, .bigint, .boolean, .null: return .bigint
            // Trino and DuckDB: every DECIMAL sum is DECIMAL(38, s).
            case let .decimal(_, s): return .decimal(precision: DataType.maxDecimalPrecision, scale: s)
            case .double: return .double
            default: return nil
            }
        case .avg:
            guard let t else { return nil }
            switch t {
            case .integer, .bigint, .double, .null: return .double
            // Trino: avg(DECIMAL(p, s)) is DECIMAL(p, s); Tarn keeps DECIMAL(18, s) for p ≤ 18 (as before DECIMAL(38)).
            case let .decimal(p, s): return .decimal(precision: max(p, DataType.maxInt64DecimalPrecision), scale: s)
            default: return nil
            }
        case .total:
            guard let t, t.isNumeric || t == .null else { return nil }
            return .double
        case .stddevSamp, .stddevPop, .varianceSamp, .variancePop, .median, .quantileCont, .approxPercentile:
            guard let t, t.isNumeric || t == .null else { return nil }
            return .double
        case .arrayAgg:
            guard let t else { return nil }
            return .array(t == .null ? .integer : t)
        case .min, .max, .mode:
            // min / max of arrays compare their keys (`ArrayKeyRewrite`), as DuckDB orders lists.
            guard let t, t.isOrderable || (kind != .mode && ArrayKeyEncoding.canKey(t)) else { return nil }
            return t == .null ? .integer : t
        case .arbitrary:
            guard let t else { return nil }
            return t == .null ? .integer : t
        case .boolAnd, .boolOr:
            guard t == .boolean || t == .null else { return nil }
            return .boolean
        case .stringAgg:
            return .varchar
        case .covarSamp, .covarPop, .corr, .regrSlope, .regrIntercept, .skewness, .kurtosis, .geometricMean:
            guard let t, t.isNumeric || t == .null else { return nil }
            return .double
        case .bitwiseAnd, .bitwiseOr:
            guard let t, t == .integer || t == .bigint || t == .null else { return nil }
            return .bigint
        case .maxBy, .minBy:
            guard let t else { return nil }
            return t == .null ? .integer : t
        case .histogram, .approxMostFrequent:
            guard let t, t.isOrderable else { return nil }
            return .map(key: t == .null ? .integer : t, value: .bigint)
        case .mapUnion:
            guard let t, t.mapTypes != nil else { return nil }
            return t
        case .mapAgg, .multimapAgg:
            return nil  // invariant: the binder types map_agg and multimap_agg from both arguments
        }
    }
}

/// Names of window-only functions.
enum WindowCatalog {
    static let kinds: [String: WindowFunctionKind] = [
        "row_number": .rowNumber, "rank": .rank, "dense_rank": .denseRank, "percent_rank": .percentRank,
        "cume_dist": .cumeDist, "ntile": .ntile, "lag": .lag, "lead": .lead, "first_value": .firstValue,
        "last_value": .lastValue, "nth_value": .nthValue, "geometric_adstock": .geometricAdstock,
        "weibull_adstock": .weibullAdstock,
    ]
    static func isWindowOnly(_ name: String) -> Bool { kinds[name] != nil }
}
