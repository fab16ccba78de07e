import Foundation
import Storage

/// Converts a constant argument (e.g. a `fill_nulls` default) to a column's type, or explains why it can't.
public enum ConstantConversion {
    public static func convert(_ value: Value, to type: DataType, for column: String) throws -> Value {
        func fail() -> TarnError {
            TarnError.semantic("the value \(value) (\(value.dataType)) does not fit column '\(column)' of type \(type)")
        }
        if value.isNull { return .null }
        switch type {
        case .varchar: return .varchar(value.description)
        case .boolean:
            if case .boolean = value { return value }
            throw fail()
        case .integer:
            guard let v = value.int64Value ?? value.doubleValue.flatMap({ $0 == $0.rounded() ? Int64(exactly: $0) : nil }),
                  let i = Int32(exactly: v) else { throw fail() }
            return .integer(i)
        case .bigint:
            guard let v = value.int64Value ?? value.doubleValue.flatMap({ $0 == $0.rounded() ? Int64(exactly: $0) : nil }) else { throw fail() }
            return .bigint(v)
        case .double:
            guard let v = value.doubleValue else { throw fail() }
            return .double(v)
        case let .decimal(_, scale):
            guard let d = value.doubleValue else { throw fail() }
            let unscaled = (d * pow(10, Double(scale))).rounded()
            guard let v = Int64(exactly: unscaled) else { throw fail() }
            return .decimal(v, scale: scale)
        case .date:
            switch value {
            case .date: return value
            case let .timestamp(t): return .date(Int32(truncatingIfNeeded: t >= 0 ? t / 86_400_000_000 : (t - 86_399_999_999) / 86_400_000_000))
            case let .varchar(s): guard let d = ValueFormatting.parseDate(Substring(s)) else { throw fail() }; return .date(d)
            default: throw fail()
            }
        case .timestamp:
            switch value {
            case .timestamp: return value
            case let .date(d): return .timestamp(Int64(d) * 86_400_000_000)
            case let .varchar(s): guard let t = ValueFormatting.parseTimestamp(Substring(s)) else { throw fail() }; return .timestamp(t)
            default: throw fail()
            }
        case .null: return .null
        case .timestampTZ:
            switch value {
            case .timestampTZ: return value
            case let .timestamp(t): return .timestampTZ(t)
            case let .date(d): return .timestampTZ(Int64(d) * 86_400_000_000)
            case let .varchar(s):
                guard let t = try TimeZoneRules.utc.parseInstant(Substring(s)) else { throw fail() }
                return .timestampTZ(t)
            default: throw fail()
            }
        case .array, .row, .map:
            guard value.dataType == type else { throw fail() }
            return value
        }
    }
}
