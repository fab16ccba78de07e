import Storage

/// Picks the accumulator implementation for an aggregate call from its kind, argument type and result type.
enum AggregateAccumulators {
    static func make(_ call: AggregateCall) throws -> GroupedAccumulator {
        let input = call.arguments.first?.type ?? .bigint
        switch call.kind {
        case .countStar: return CountAccumulator(star: true, resultType: call.resultType)
        case .count: return CountAccumulator(star: call.arguments.isEmpty, resultType: call.resultType)
        case .sum:
            if case .decimal = call.resultType, input.physical != .double {
                return Decimal128SumAccumulator(inputType: input, resultType: call.resultType, isAverage: false)
            }
            if input.physical == .double || call.resultType == .double || input.physical == .bool {
                return DoubleSumAccumulator(resultType: call.resultType, isTotal: false)
            }
            return IntegerSumAccumulator(inputType: input, resultType: call.resultType)
        case .total: return DoubleSumAccumulator(resultType: call.resultType, isTotal: true)
        case .avg:
            if input.physical == .int128, case .decimal = call.resultType {
                return Decimal128SumAccumulator(inputType: input, resultType: call.resultType, isAverage: true)
            }
            return AverageAccumulator(inputType: input, resultType: call.resultType)
        case .min, .max:
            let isMax = call.kind == .max
            switch input.physical {
            case .int32, .int64, .bool: return IntegerMinMaxAccumulator(isMax: isMax, resultType: call.resultType)
            case .double: return DoubleMinMaxAccumulator(isMax: isMax, resultType: call.resultType)
            case .string: return StringMinMaxAccumulator(isMax: isMax)
            case .int128: return Decimal128MinMaxAccumulator(isMax: isMax, resultType: call.resultType)
            case .list, .fields: throw TarnError.semantic("\(call.kind) cannot be applied to \(input)")
            }
        case .stddevSamp, .stddevPop, .varianceSamp, .variancePop: return VarianceAccumulator(kind: call.kind, resultType: call.resultType)
        case .median: return QuantileAccumulator(fraction: 0.5, resultType: call.resultType)
        case .quantileCont: return QuantileAccumulator(fraction: fraction(call), resultType: call.resultType)
        case .approxPercentile: return ApproximateQuantileAccumulator(fraction: fraction(call), resultType: call.resultType)
        case .approxDistinct: return DistinctCountAccumulator(resultType: call.resultType)
        case .boolAnd: return BooleanAccumulator(isAnd: true)
        case .boolOr: return BooleanAccumulator(isAnd: false)
        case .arbitrary: return ArbitraryAccumulator(resultType: call.resultType)
        case .stringAgg: return StringAggregateAccumulator(separator: separator(call))
        case .mapAgg: return MapAggregateAccumulator(mode: .mapAgg, resultType: call.resultType)
        case .histogram: return MapAggregateAccumulator(mode: .histogram, resultType: call.resultType)
        case .mapUnion: return MapAggregateAccumulator(mode: .union, resultType: call.resultType)
        case .multimapAgg: return MapAggregateAccumulator(mode: .multimap, resultType: call.resultType)
        case .approxMostFrequent:
            let buckets = Int(call.parameters.first?.int64Value ?? 0)
            return MapAggregateAccumulator(mode: .mostFrequent(buckets: buckets), resultType: call.resultType)
        case .arrayAgg: return ArrayAggregateAccumulator(elementType: call.resultType.elementType ?? input)
        case .mode: return ModeAccumulator(resultType: call.resultType)
        case .covarSamp, .covarPop, .corr, .regrSlope, .regrIntercept: return CovarianceAccumulator(kind: call.kind, resultType: call.resultType)
        case .skewness, .kurtosis, .geometricMean: return MomentsAccumulator(kind: call.kind, resultType: call.resultType)
        case .bitwiseAnd, .bitwiseOr: return BitwiseAccumulator(isAnd: call.kind == .bitwiseAnd, resultType: call.resultType)
        case .maxBy, .minBy: return ArgExtremeAccumulator(isMax: call.kind == .maxBy, resultType: call.resultType)
        }
    }

    /// The constant second parameter of an aggregate: from `parameters`, else a constant second argument.
    static func constantParameter(_ call: AggregateCall) -> Value? {
        if let p = call.parameters.first { return p }
        if call.arguments.count > 1, case let .constant(v, _) = call.arguments[1] { return v }
        return nil
    }

    static func fraction(_ call: AggregateCall) -> Double { constantParameter(call)?.doubleValue ?? 0.5 }

    static func separator(_ call: AggregateCall) -> String {
        if case let .varchar(s)? = constantParameter(call) { return s }
        return ","
    }
}
