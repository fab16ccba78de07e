/// Function names offered by tab completion (the engine's registry lives in Execution; this list
/// covers the functions analysts type most).
enum SQLVocabulary {
    static let functionNames: [String] = [
        "abs", "approx_distinct", "avg", "ceil", "coalesce", "concat", "count", "count_if", "current_date",
        "current_timestamp", "date_add", "date_diff", "date_format", "date_trunc", "day", "extract", "floor",
        "generate_series", "greatest", "if", "ifnull", "least", "length", "lower", "ltrim", "max", "median", "min",
        "month", "now", "nullif", "percentile_cont", "power", "quarter", "rank", "regexp_like", "replace",
        "round", "row_number", "rtrim", "sqrt", "stddev", "strftime", "substr", "substring", "sum", "trim",
        "try_cast", "upper", "variance", "week", "year",
    ]
}
