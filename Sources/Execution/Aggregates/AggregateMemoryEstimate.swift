import Storage

/// How many bytes a hash aggregation's state takes, estimated from its shape so that accounting it against
/// `memory_limit` costs a few multiplications per batch, never work per row.
///
/// - `bytesPerGroup`: key table (stored keys, open-addressing slots at half load) plus the fixed-size state of
///   every accumulator (sums, counts, min / max...), with half again for the growth slack of the arrays.
/// - `variableBytes(...)`: state that grows with the rows rather than the groups: string keys' bytes, DISTINCT
///   (group, value) pairs, the value lists of median / quantiles, mode tallies, string_agg buffers. Counted for
///   every row fed in (an upper bound: a repeated DISTINCT value is counted again).
struct AggregateMemoryEstimate {
    let bytesPerGroup: Int
    /// Bytes per consumed row of per-row accumulator state.
    let bytesPerRow: Int
    /// Key columns whose values are strings (their bytes are counted per new group).
    let stringKeys: [Int]
    /// Calls whose first argument's bytes are kept (string_agg, string min / max) and their DISTINCT calls' pairs.
    let keptArguments: [Int]

    init(keyTypes: [DataType], calls: [AggregateCall]) {
        // Stored key (8) and validity, plus open-addressing slots (id and key, 12–16 bytes) at a load between 1/4 and
        // 1/2: measured, a 7M-group integer table with count and sum took ~110 bytes a group in RSS.
        var perGroup = keyTypes.isEmpty ? 0 : 64 + 24 * (keyTypes.count - 1)
        var perRow = 0
        var kept: [Int] = []
        for (k, call) in calls.enumerated() {
            let argument = call.arguments.first?.type
            if call.distinct { perRow += 48; if argument?.physical == .string { kept.append(k) } }
            switch call.kind {
            case .countStar, .count, .boolAnd, .boolOr: perGroup += 9
            case .sum, .total, .min, .max: perGroup += 17
                if argument?.physical == .string, call.kind == .min || call.kind == .max { perGroup += 24 }
            case .avg: perGroup += 25
            case .stddevSamp, .stddevPop, .varianceSamp, .variancePop: perGroup += 33
            case .covarSamp, .covarPop, .corr, .regrSlope, .regrIntercept: perGroup += 57
            case .skewness, .kurtosis, .geometricMean: perGroup += 41
            case .bitwiseAnd, .bitwiseOr: perGroup += 17
            case .arbitrary, .maxBy, .minBy: perGroup += 64
            case .median, .quantileCont, .approxPercentile: perGroup += 32; perRow += 8
            case .approxDistinct: perGroup += 64; perRow += 16
            case .mode: perGroup += 64; perRow += 64
            case .stringAgg: perGroup += 48; perRow += 8; kept.append(k)
            case .arrayAgg: perGroup += 48; perRow += 24; kept.append(k)
            case .mapAgg, .histogram, .approxMostFrequent, .mapUnion, .multimapAgg: perGroup += 64; perRow += 64
            }
        }
        bytesPerGroup = perGroup + perGroup / 2
        bytesPerRow = perRow
        stringKeys = keyTypes.indices.filter { keyTypes[$0].physical == .string }
        keptArguments = kept
    }

    /// Bytes added by one batch of `rows` rows that made `newGroups` groups (`keys` and `arguments`: the batch's
    /// evaluated key columns and per-call argument columns).
    func variableBytes(keys: [Column], newGroups: Int, arguments: [[Column]], rows: Int) -> Int {
        var bytes = rows * bytesPerRow
        if newGroups > 0 {
            for k in stringKeys where k < keys.count {
                bytes += newGroups * (16 + Self.averageStringBytes(keys[k]))
            }
        }
        for k in keptArguments where k < arguments.count {
            if let column = arguments[k].first { bytes += rows * Self.averageStringBytes(column) }
        }
        return bytes
    }

    /// Mean bytes of a string column's values (0 for other columns); O(1).
    static func averageStringBytes(_ column: Column) -> Int {
        switch column.data {
        case let .string(s): return s.count == 0 ? 0 : s.bytes.count / s.count
        case let .dictionary(_, dictionary): return dictionary.count == 0 ? 0 : dictionary.bytes.count / dictionary.count
        default: return 0
        }
    }
}
