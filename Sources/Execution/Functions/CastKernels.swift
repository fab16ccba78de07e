import Foundation
import Storage

/// CAST / TRY_CAST between all Tarn types, vectorised. Failures raise `cannot cast 'x' to T` (TRY_CAST: NULL).
///
/// - DOUBLE / DECIMAL → integer rounds half away from zero; out of range is an error.
/// - VARCHAR → number trims surrounding spaces; in SQLite mode VARCHAR → integer/double takes the
///   leading numeric prefix or 0 and never fails.
/// - VARCHAR ↔ DATE `YYYY-MM-DD`, ↔ TIMESTAMP `YYYY-MM-DD HH:MM:SS[.ffffff]` (a timestamp text cast to
///   DATE keeps the date part); BOOLEAN ↔ VARCHAR `true`/`false` (also `t`/`f`/`1`/`0` on input).
/// - DECIMAL rescaling rounds half away from zero; DATE ↔ TIMESTAMP (midnight / floor to the day).
/// - TIMESTAMP WITH TIME ZONE ↔ TIMESTAMP / DATE / VARCHAR go through the session time zone (`settings.timeZone`), as
///   DuckDB's: the local time there; text may name its own offset (`+02`, `+05:30`, `Z`) or zone (`… America/New_York`).
/// VARCHAR sources that are dictionary-encoded are parsed once per dictionary entry.
public enum CastKernels {
    /// Whether CAST from `from` to `to` is defined (values may still fail at run time).
    public static func canCast(from: DataType, to: DataType) -> Bool {
        if let nested = NestedCast.canCast(from: from, to: to) { return nested }
        if case let .array(target) = to {
            if from == .null || from == .varchar { return true }
            guard case let .array(source) = from else { return false }
            return canCast(from: source, to: target)
        }
        if from.elementType != nil { return to == .varchar }
        if from == to || from == .null || from == .varchar || to == .varchar { return true }
        let numericLike: (DataType) -> Bool = { $0.isNumeric || $0 == .boolean }
        if numericLike(from) && numericLike(to) { return true }
        switch (from, to) {
        case (.date, .timestamp), (.timestamp, .date): return true
        case (.date, .timestampTZ), (.timestampTZ, .date), (.timestamp, .timestampTZ), (.timestampTZ, .timestamp): return true
        default: return false
        }
    }

    /// `column` converted to `target`.
    public static func cast(_ column: Column, to target: DataType, isTry: Bool, settings: SessionSettings) throws -> Column {
        let source = column.type
        if source == target { return column }
        if source == .null || ColumnKernels.allNull(column) && column.count > 0 { return Column.nulls(target, count: column.count) }
        guard canCast(from: source, to: target) else { throw TarnError.semantic("cannot cast \(source) to \(target)") }
        let context = CastContext(target: target, isTry: isTry, sqlite: settings.sqliteCompatible, zone: settings.timeZone)
        if source.isInt128Decimal || target.isInt128Decimal, let wide = try Decimal128Cast.cast(column, to: target, context) { return wide }
        switch target {
        case .varchar: return try toVarchar(column, zone: settings.timeZone)
        case .boolean: return try toBoolean(column, context)
        case .integer:
            let (v, m) = try toInteger(column, range: Int64(Int32.min)...Int64(Int32.max), context)
            return Column(type: .integer, data: .int32(v.map { Int32(truncatingIfNeeded: $0) }), validity: m)
        case .bigint:
            let (v, m) = try toInteger(column, range: Int64.min...Int64.max, context)
            return Column(type: .bigint, data: .int64(v), validity: m)
        case .double: return try toDouble(column, context)
        case let .decimal(p, s): return try toDecimal(column, precision: p, scale: s, context)
        case .date: return try toDate(column, context)
        case .timestamp: return try toTimestamp(column, context)
        case .null: return Column.nulls(.null, count: column.count)
        case .timestampTZ: return try toTimestampTZ(column, context)
        case let .array(element):
            if source == .varchar { return try ArrayCast.fromText(column, element: element, isTry: isTry, settings: settings) }
            // Element by element: the offsets stay, the child column is cast.
            guard case let .list(offsets, child) = column.data else { throw TarnError.semantic("cannot cast \(source) to \(target)") }
            let castChild = try cast(child, to: element, isTry: isTry, settings: settings)
            return Column(type: target, data: .list(offsets: offsets, child: castChild), validity: column.validity)
        case .row, .map: return try NestedCast.cast(column, to: target, isTry: isTry, settings: settings)
        }
    }

    /// What a failing row does: TRY_CAST → NULL, CAST → error naming the value.
    struct CastContext {
        let target: DataType
        let isTry: Bool
        let sqlite: Bool
        var zone: TimeZoneRules = .utc
        func fail<R>(_ text: @autoclosure () -> String, _ reason: String = "") throws -> R? {
            if isTry { return nil }
            throw TarnError(.execution, "cannot cast '\(text())' to \(target)\(reason.isEmpty ? "" : " (\(reason))")")
        }
    }

    // MARK: From VARCHAR

    /// Parses every non-NULL string (once per dictionary entry); unparsable rows fail or become NULL.
    static func fromStrings<R>(_ c: Column, placeholder: R, _ ctx: CastContext, _ parse: (String) -> R?) throws -> ([R], [UInt8]?) {
        let r = try StringColumnReader(c)
        if let codes = r.codes {
            let perEntry = (0..<r.strings.count).map { parse(r.strings.string(at: $0)) }
            return try ColumnKernels.mapOptional(codes, r.validity, placeholder: placeholder) { code in
                if let v = perEntry[Int(code)] { return v }
                return try ctx.fail(r.strings.string(at: Int(code)))
            }
        }
        let rows = (0..<r.count).map { Int32($0) }
        return try ColumnKernels.mapOptional(rows, r.validity, placeholder: placeholder) { i in
            let text = r.strings.string(at: Int(i))
            if let v = parse(text) { return v }
            return try ctx.fail(text)
        }
    }

    /// SQLite's numeric prefix of a text: optional sign, digits, optional fraction and exponent.
    static func sqliteNumericPrefix(_ text: String) -> (integer: Int64, double: Double) {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        let integerEnd = i
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { j += 1 }
            if j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 {
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
                i = j
            }
        }
        let integerText = String(decoding: bytes[start..<integerEnd], as: UTF8.self)
        var integer: Int64 = 0
        if integerEnd > digitsStart {
            integer = Int64(integerText) ?? (integerText.hasPrefix("-") ? Int64.min : Int64.max)
        }
        let double = Double(String(decoding: bytes[start..<i], as: UTF8.self)) ?? Double(integer)
        return (integer, double)
    }

    // MARK: Targets

    static func toInteger(_ c: Column, range: ClosedRange<Int64>, _ ctx: CastContext) throws -> ([Int64], [UInt8]?) {
        let outOfRange = "out of range"
        switch (c.type, c.data) {
        case (.varchar, _):
            if ctx.sqlite {
                return try fromStrings(c, placeholder: 0, ctx) { text in
                    min(max(sqliteNumericPrefix(text).integer, range.lowerBound), range.upperBound)
                }
            }
            return try fromStrings(c, placeholder: 0, ctx) { text in
                guard let v = Int64(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else { return nil }
                return v
            }
        case let (.boolean, .bool(b)):
            return (b.map { $0 ? 1 : 0 }, c.validity)
        case let (.decimal(_, s), .int64(a)):
            return try ColumnKernels.mapOptional(a, c.validity, placeholder: 0) { v in
                if let r = DecimalMath.rescale(v, from: s, to: 0), range.contains(r) { return r }
                return try ctx.fail(ValueFormatting.format(decimal: v, scale: s), outOfRange)
            }
        case (.integer, _), (.bigint, _):
            let a = try ColumnKernels.int64s(c)
            return try ColumnKernels.mapOptional(a, c.validity, placeholder: 0) { v in
                range.contains(v) ? v : try ctx.fail(String(v), outOfRange)
            }
        case let (.double, .double(a)):
            return try ColumnKernels.mapOptional(a, c.validity, placeholder: 0) { v in
                let r = v.rounded(.toNearestOrAwayFromZero)
                if r.isFinite, r >= -9.223372036854775808e18, r < 9.223372036854775808e18, range.contains(Int64(r)) { return Int64(r) }
                return try ctx.fail(ValueFormatting.format(double: v), outOfRange)
            }
        default:
            throw TarnError.semantic("cannot cast \(c.type) to \(ctx.target)")
        }
    }

    static func toDouble(_ c: Column, _ ctx: CastContext) throws -> Column {
        if c.type == .varchar {
            let (v, m): ([Double], [UInt8]?)
            if ctx.sqlite {
                (v, m) = try fromStrings(c, placeholder: 0, ctx) { sqliteNumericPrefix($0).double }
            } else {
                (v, m) = try fromStrings(c, placeholder: 0, ctx) { Double($0.trimmingCharacters(in: .whitespaces)) }
            }
            return Column(type: .double, data: .double(v), validity: m)
        }
        if case let .bool(b) = c.data { return Column(type: .double, data: .double(b.map { $0 ? 1 : 0 }), validity: c.validity) }
        return Column(type: .double, data: .double(try ColumnKernels.numericAsDoubles(c)), validity: c.validity)
    }

    static func toDecimal(_ c: Column, precision p: Int, scale s: Int, _ ctx: CastContext) throws -> Column {
        let overflow = "does not fit DECIMAL(\(p),\(s))"
        let (v, m): ([Int64], [UInt8]?)
        switch (c.type, c.data) {
        case (.varchar, _):
            (v, m) = try fromStrings(c, placeholder: 0, ctx) { text in
                guard let r = DecimalMath.parse(text, scale: s), DecimalMath.fits(r, precision: p) else { return nil }
                return r
            }
        case let (.boolean, .bool(b)):
            (v, m) = (b.map { $0 ? DecimalMath.powerOfTen(s) : 0 }, c.validity)
        case let (.decimal(_, s1), .int64(a)):
            (v, m) = try ColumnKernels.mapOptional(a, c.validity, placeholder: 0) { x in
                if let r = DecimalMath.rescale(x, from: s1, to: s), DecimalMath.fits(r, precision: p) { return r }
                return try ctx.fail(ValueFormatting.format(decimal: x, scale: s1), overflow)
            }
        case (.integer, _), (.bigint, _):
            (v, m) = try ColumnKernels.mapOptional(try ColumnKernels.int64s(c), c.validity, placeholder: 0) { x in
                if let r = DecimalMath.rescale(x, from: 0, to: s), DecimalMath.fits(r, precision: p) { return r }
                return try ctx.fail(String(x), overflow)
            }
        case let (.double, .double(a)):
            let factor = Double(DecimalMath.powerOfTen(s)), limit = Double(DecimalMath.powerOfTen(p))
            (v, m) = try ColumnKernels.mapOptional(a, c.validity, placeholder: 0) { x in
                let r = (x * factor).rounded(.toNearestOrAwayFromZero)
                if r.isFinite, abs(r) < limit, abs(r) < 9.2e18 { return Int64(r) }
                return try ctx.fail(ValueFormatting.format(double: x), overflow)
            }
        default:
            throw TarnError.semantic("cannot cast \(c.type) to \(ctx.target)")
        }
        return Column(type: .decimal(precision: p, scale: s), data: .int64(v), validity: m)
    }

    static func toBoolean(_ c: Column, _ ctx: CastContext) throws -> Column {
        switch (c.type, c.data) {
        case (.varchar, _):
            let (v, m) = try fromStrings(c, placeholder: false, ctx) { text -> Bool? in
                switch text.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true", "t", "1": return true
                case "false", "f", "0": return false
                default: return nil
                }
            }
            return Column(type: .boolean, data: .bool(v), validity: m)
        case let (_, .double(a)): return Column(type: .boolean, data: .bool(a.map { $0 != 0 }), validity: c.validity)
        case (.integer, _), (.bigint, _), (.decimal, _):
            return Column(type: .boolean, data: .bool(try ColumnKernels.int64s(c).map { $0 != 0 }), validity: c.validity)
        default: throw TarnError.semantic("cannot cast \(c.type) to BOOLEAN")
        }
    }

    static func toDate(_ c: Column, _ ctx: CastContext) throws -> Column {
        switch (c.type, c.data) {
        case (.varchar, _):
            let (v, m) = try fromStrings(c, placeholder: Int32(0), ctx) { text -> Int32? in
                if let d = ValueFormatting.parseDate(Substring(text)) { return d }
                if let t = ValueFormatting.parseTimestamp(Substring(text)) { return Int32(exactly: DateMath.floorDiv(t, DateMath.microsPerDay)) }
                return nil
            }
            return Column(type: .date, data: .int32(v), validity: m)
        case let (.timestamp, .int64(a)):
            let v = try ColumnKernels.map(a, c.validity, placeholder: Int32(0)) { t in
                guard let d = Int32(exactly: DateMath.floorDiv(t, DateMath.microsPerDay)) else { throw TarnError(.execution, "date out of range") }
                return d
            }
            return Column(type: .date, data: .int32(v), validity: c.validity)
        case let (.timestampTZ, .int64(a)):
            var zone = ctx.zone.cursor()
            let v = try ColumnKernels.map(a, c.validity, placeholder: Int32(0)) { t in
                guard let d = Int32(exactly: DateMath.floorDiv(zone.localMicros(fromUTC: t), DateMath.microsPerDay)) else { throw TarnError(.execution, "date out of range") }
                return d
            }
            return Column(type: .date, data: .int32(v), validity: c.validity)
        default: throw TarnError.semantic("cannot cast \(c.type) to DATE")
        }
    }

    static func toTimestamp(_ c: Column, _ ctx: CastContext) throws -> Column {
        switch (c.type, c.data) {
        case (.varchar, _):
            let (v, m) = try fromStrings(c, placeholder: Int64(0), ctx) { ValueFormatting.parseTimestamp(Substring($0)) }
            return Column(type: .timestamp, data: .int64(v), validity: m)
        case let (.date, .int32(a)):
            return Column(type: .timestamp, data: .int64(a.map { Int64($0) * DateMath.microsPerDay }), validity: c.validity)
        case let (.timestampTZ, .int64(a)):
            var zone = ctx.zone.cursor()
            return Column(type: .timestamp, data: .int64(a.map { zone.localMicros(fromUTC: $0) }), validity: c.validity)
        default: throw TarnError.semantic("cannot cast \(c.type) to TIMESTAMP")
        }
    }

    /// To TIMESTAMP WITH TIME ZONE: TIMESTAMP and DATE are local times in the session zone; text may carry an offset
    /// or a zone name (an unknown zone name is an error even for TRY_CAST, as DuckDB's).
    static func toTimestampTZ(_ c: Column, _ ctx: CastContext) throws -> Column {
        let zone = ctx.zone
        var cursor = zone.cursor()
        switch (c.type, c.data) {
        case (.varchar, _):
            var zoneError: Error?
            let (v, m) = try fromStrings(c, placeholder: Int64(0), ctx) { text -> Int64? in
                do { return try zone.parseInstant(Substring(text)) } catch { if !ctx.isTry { zoneError = error }; return nil }
            }
            if let zoneError { throw zoneError }
            return Column(type: .timestampTZ, data: .int64(v), validity: m)
        case let (.timestamp, .int64(a)):
            return Column(type: .timestampTZ, data: .int64(a.map { cursor.utcMicros(fromLocal: $0) }), validity: c.validity)
        case let (.date, .int32(a)):
            return Column(type: .timestampTZ, data: .int64(a.map { cursor.utcMicros(fromLocal: Int64($0) * DateMath.microsPerDay) }), validity: c.validity)
        default: throw TarnError.semantic("cannot cast \(c.type) to TIMESTAMP WITH TIME ZONE")
        }
    }

    static func toVarchar(_ c: Column, zone: TimeZoneRules = .utc) throws -> Column {
        let n = c.count
        var out = StringArray()
        out.reserve(strings: n, bytes: n * 8)
        func build(_ text: (Int) -> String) {
            for i in 0..<n { if c.isNull(i) { out.appendEmpty() } else { out.append(text(i)) } }
        }
        switch (c.type, c.data) {
        case let (.boolean, .bool(a)): build { a[$0] ? "true" : "false" }
        case let (.integer, .int32(a)): return Column(type: .varchar, data: .string(integerText(a.map { Int64($0) }, c.validity)), validity: c.validity)
        case let (.bigint, .int64(a)): return Column(type: .varchar, data: .string(integerText(a, c.validity)), validity: c.validity)
        case let (.double, .double(a)): build { ValueFormatting.format(double: a[$0]) }
        case let (.decimal(_, s), .int64(a)): build { ValueFormatting.format(decimal: a[$0], scale: s) }
        case let (.date, .int32(a)): build { ValueFormatting.format(date: a[$0]) }
        case let (.timestamp, .int64(a)): build { ValueFormatting.format(timestamp: a[$0]) }
        case let (.timestampTZ, .int64(a)):
            var cursor = zone.cursor()
            build { cursor.format(a[$0]) }
        case (.array, .list), (.map, .list), (.row, .fields): build { c.value(at: $0).description }
        default: throw TarnError.semantic("cannot cast \(c.type) to VARCHAR")
        }
        return Column(type: .varchar, data: .string(out), validity: c.validity)
    }

    /// Decimal text of integers written straight into the byte buffer (no per-row String).
    static func integerText(_ a: [Int64], _ validity: [UInt8]?) -> StringArray {
        var out = StringArray()
        out.reserve(strings: a.count, bytes: a.count * 6)
        var digits = [UInt8](repeating: 0, count: 20)
        for i in 0..<a.count {
            if let validity, validity[i] == 0 { out.appendEmpty(); continue }
            let v = a[i]
            var m = v.magnitude
            var k = 20
            repeat { k -= 1; digits[k] = UInt8(48 + m % 10); m /= 10 } while m != 0
            if v < 0 { out.bytes.append(UInt8(ascii: "-")) }
            out.bytes.append(contentsOf: digits[k...])
            out.offsets.append(out.bytes.count)
        }
        return out
    }
}
