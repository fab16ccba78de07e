import Foundation
import Storage

/// CAST to and from DECIMAL(19…38) (Int128 unscaled values): from VARCHAR, BOOLEAN, integers, DOUBLE and any
/// DECIMAL; to VARCHAR, BOOLEAN, integers, DOUBLE and any DECIMAL. Rescaling rounds half away from zero; a value
/// that does not fit the target fails the row (TRY_CAST: NULL).
enum Decimal128Cast {
    /// Nil when neither side is a 128-bit DECIMAL (the caller's kernels apply).
    static func cast(_ c: Column, to target: DataType, _ ctx: CastKernels.CastContext) throws -> Column? {
        if case let .decimal(p, s) = target, target.isInt128Decimal || c.type.isInt128Decimal {
            return try toDecimal(c, precision: p, scale: s, ctx)
        }
        guard case let .decimal(_, s) = c.type, case let .int128(a) = c.data else { return nil }
        switch target {
        case .varchar:
            var out = StringArray()
            out.reserve(strings: a.count, bytes: a.count * 12)
            for i in 0..<a.count { if c.isNull(i) { out.appendEmpty() } else { out.append(ValueFormatting.format(decimal: a[i], scale: s)) } }
            return Column(type: .varchar, data: .string(out), validity: c.validity)
        case .double:
            return Column(type: .double, data: .double(try ColumnKernels.numericAsDoubles(c)), validity: c.validity)
        case .boolean:
            return Column(type: .boolean, data: .bool(a.map { $0 != 0 }), validity: c.validity)
        case .integer, .bigint:
            let range: ClosedRange<Int128> = target == .integer ? Int128(Int32.min)...Int128(Int32.max) : Int128(Int64.min)...Int128(Int64.max)
            let (v, m) = try ColumnKernels.mapOptional(a, c.validity, placeholder: Int64(0)) { x -> Int64? in
                if let r = DecimalMath.wideRescale(x, from: s, to: 0), range.contains(r) { return Int64(r) }
                return try ctx.fail(ValueFormatting.format(decimal: x, scale: s), "out of range")
            }
            if target == .integer { return Column(type: .integer, data: .int32(v.map { Int32(truncatingIfNeeded: $0) }), validity: m) }
            return Column(type: .bigint, data: .int64(v), validity: m)
        default:
            throw TarnError.semantic("cannot cast \(c.type) to \(target)")
        }
    }

    private static func toDecimal(_ c: Column, precision p: Int, scale s: Int, _ ctx: CastKernels.CastContext) throws -> Column {
        let overflow = "does not fit DECIMAL(\(p),\(s))"
        let bound = Int128.powerOfTen(p).magnitude
        let (v, m): ([Int128], [UInt8]?)
        switch (c.type, c.data) {
        case (.varchar, _):
            (v, m) = try CastKernels.fromStrings(c, placeholder: Int128(0), ctx) { text in
                guard let r = DecimalMath.parseUnscaled(text, scale: s, as: Int128.self), r.magnitude < bound else { return nil }
                return r
            }
        case let (.boolean, .bool(b)):
            (v, m) = (b.map { $0 ? Int128.powerOfTen(s) : 0 }, c.validity)
        case (.decimal, _), (.integer, _), (.bigint, _):
            let scale1: Int
            if case let .decimal(_, sx) = c.type { scale1 = sx } else { scale1 = 0 }
            (v, m) = try ColumnKernels.mapOptional(try ColumnKernels.int128s(c), c.validity, placeholder: Int128(0)) { x in
                if let r = DecimalMath.wideRescale(x, from: scale1, to: s), r.magnitude < bound { return r }
                return try ctx.fail(ValueFormatting.format(decimal: x, scale: scale1), overflow)
            }
        case let (.double, .double(a)):
            let factor = Double(Int128.powerOfTen(s)), limit = Double(Int128.powerOfTen(p))
            (v, m) = try ColumnKernels.mapOptional(a, c.validity, placeholder: Int128(0)) { x in
                let r = (x * factor).rounded(.toNearestOrAwayFromZero)
                if r.isFinite, abs(r) < limit, abs(r) < 1.7e38 { return Int128(r) }
                return try ctx.fail(ValueFormatting.format(double: x), overflow)
            }
        default:
            throw TarnError.semantic("cannot cast \(c.type) to \(ctx.target)")
        }
        let type = DataType.decimal(precision: p, scale: s)
        if type.isInt128Decimal { return Column(type: type, data: .int128(v), validity: m) }
        // A narrower DECIMAL: every value is below 10^p ≤ 10^18, so it fits Int64.
        return Column(type: type, data: .int64(v.map { Int64(truncatingIfNeeded: $0) }), validity: m)
    }
}

/// Decimal text → DECIMAL(19…38) unscaled value, for loaders outside Execution (CSV / JSON ingestion).
public enum Decimal128Text {
    /// The unscaled value of `text` at `scale` (extra digits rounded), nil when malformed or beyond `precision` digits.
    public static func parse(_ text: String, precision: Int, scale: Int) -> Int128? {
        guard let v = DecimalMath.parseUnscaled(text, scale: scale, as: Int128.self), v.magnitude < Int128.powerOfTen(precision).magnitude else { return nil }
        return v
    }
}
