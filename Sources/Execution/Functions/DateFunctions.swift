import Foundation
import Storage

/// Date/time functions: current_date, current_timestamp/now, date_trunc, date_add, date_diff, field
/// extraction (year, quarter, month, week (ISO), day, day_of_week (Monday = 1 … Sunday = 7), day_of_year,
/// hour, minute, second), to_date/date, from_unixtime, to_unixtime. Units: second, minute, hour, day,
/// week, month, quarter, year (case-insensitive, plural accepted).
enum DateFunctions {
    enum Unit: String, Sendable {
        case second, minute, hour, day, week, month, quarter, year

        init?(text: String) {
            var t = text.trimmingCharacters(in: .whitespaces).lowercased()
            if t.hasSuffix("s") { t.removeLast() }
            self.init(rawValue: t)
        }

        /// Fixed length in microseconds (nil for calendar units).
        var micros: Int64? {
            switch self {
            case .second: return DateMath.microsPerSecond
            case .minute: return DateMath.microsPerMinute
            case .hour: return DateMath.microsPerHour
            case .day: return DateMath.microsPerDay
            case .week: return 7 * DateMath.microsPerDay
            case .month, .quarter, .year: return nil
            }
        }
    }

    static var definitions: [FunctionDefinition] {
        var defs: [FunctionDefinition] = [
            // Today in the session time zone (DuckDB, Trino).
            FunctionDefinition("current_date", deterministic: false, [Overload([], .date) { _, n, ctx in
                let local = ctx.settings.timeZone.localMicros(fromUTC: ctx.settings.statementTimestamp)
                return ColumnKernels.constant(.date(Int32(truncatingIfNeeded: DateMath.floorDiv(local, DateMath.microsPerDay))), type: .date, count: n)
            }]),
            // TIMESTAMP WITH TIME ZONE, as in Trino and DuckDB: the instant, shown in the session zone.
            FunctionDefinition("current_timestamp", deterministic: false, [Overload([], .timestampTZ) { _, n, ctx in
                ColumnKernels.constant(.timestampTZ(ctx.settings.statementTimestamp), type: .timestampTZ, count: n)
            }]),
            FunctionDefinition("date_trunc", [
                Overload([.varchar, .date], .date) { a, n, _ in try onTimestamps(a, n, dateResult: true) { unit, t in try truncate(t, unit) } },
                Overload([.varchar, .timestamp], .timestamp) { a, n, _ in try onTimestamps(a, n, dateResult: false) { unit, t in try truncate(t, unit) } },
                Overload([.varchar, .timestampTZ], .timestampTZ) { a, n, ctx in try TimeZoneFunctions.truncate(a, n, ctx.settings.timeZone) },
            ]),
            FunctionDefinition("date_add", [
                Overload([.varchar, .bigint, .date], .date) { a, n, _ in try dateAdd(a, n, dateResult: true) },
                Overload([.varchar, .bigint, .timestamp], .timestamp) { a, n, _ in try dateAdd(a, n, dateResult: false) },
                Overload([.varchar, .bigint, .timestampTZ], .timestampTZ) { a, n, ctx in try TimeZoneFunctions.add(a, n, ctx.settings.timeZone) },
            ]),
            FunctionDefinition("date_diff", [
                Overload([.varchar, .date, .date], .bigint) { a, n, _ in try dateDiff(a, n) },
                Overload([.varchar, .timestamp, .timestamp], .bigint) { a, n, _ in try dateDiff(a, n) },
                Overload([.varchar, .timestampTZ, .timestampTZ], .bigint) { a, n, ctx in try TimeZoneFunctions.diff(a, n, ctx.settings.timeZone) },
            ]),
            FunctionDefinition("to_date", [
                Overload([.date], .date) { a, _, _ in a[0] },
                Overload([.timestamp], .date) { a, _, ctx in try CastKernels.cast(a[0], to: .date, isTry: false, settings: ctx.settings) },
                Overload([.varchar], .date) { a, _, ctx in try CastKernels.cast(a[0], to: .date, isTry: false, settings: ctx.settings) },
                Overload([.timestampTZ], .date) { a, _, ctx in try CastKernels.cast(a[0], to: .date, isTry: false, settings: ctx.settings) },
            ]),
            FunctionDefinition("from_unixtime", [Overload([.double], .timestamp) { a, _, _ in
                let v = try ColumnKernels.map(try ColumnKernels.doubles(a[0]), a[0].validity, placeholder: Int64(0)) { s in
                    let us = (s * 1_000_000).rounded()
                    guard us.isFinite, abs(us) < 9.2e18 else { throw TarnError(.execution, "from_unixtime: \(s) is out of range") }
                    return Int64(us)
                }
                return Column(type: .timestamp, data: .int64(v), validity: a[0].validity)
            },
            // Trino's from_unixtime(x, zone): the instant, as TIMESTAMP WITH TIME ZONE (the zone name is checked).
            Overload([.double, .varchar], .timestampTZ) { a, n, _ in
                _ = try TimeZoneFunctions.zoneColumn(a[1])
                let v = try ColumnKernels.map(try ColumnKernels.doubles(a[0]), a[0].validity, placeholder: Int64(0)) { s in
                    let us = (s * 1_000_000).rounded()
                    guard us.isFinite, abs(us) < 9.2e18 else { throw TarnError(.execution, "from_unixtime: \(s) is out of range") }
                    return Int64(us)
                }
                return Column(type: .timestampTZ, data: .int64(v), validity: ColumnKernels.intersect(a[0].validity, a[1].validity))
            }]),
            FunctionDefinition("to_unixtime", [Overload([.timestamp], .double) { a, _, _ in
                Column(type: .double, data: .double(try ColumnKernels.int64s(a[0]).map { Double($0) / 1_000_000 }), validity: a[0].validity)
            },
            Overload([.timestampTZ], .double) { a, _, _ in
                Column(type: .double, data: .double(try ColumnKernels.int64s(a[0]).map { Double($0) / 1_000_000 }), validity: a[0].validity)
            }]),
        ]
        let fields: [(String, @Sendable (Int64, Int64) -> Int64)] = [
            ("year", { d, _ in ValueFormatting.civil(fromDays: d).year }),
            ("quarter", { d, _ in Int64((ValueFormatting.civil(fromDays: d).month - 1) / 3 + 1) }),
            ("month", { d, _ in Int64(ValueFormatting.civil(fromDays: d).month) }),
            ("week", { d, _ in DateMath.isoWeek(d) }),
            ("day", { d, _ in Int64(ValueFormatting.civil(fromDays: d).day) }),
            ("day_of_week", { d, _ in DateMath.dayOfWeek(d) }),
            ("day_of_year", { d, _ in DateMath.dayOfYear(d) }),
            ("hour", { _, us in us / DateMath.microsPerHour }),
            ("minute", { _, us in us / DateMath.microsPerMinute % 60 }),
            ("second", { _, us in us / DateMath.microsPerSecond % 60 }),
        ]
        for (name, field) in fields {
            let timeOnly = ["hour", "minute", "second"].contains(name)
            var overloads = [Overload([.timestamp], .bigint) { a, _, _ in
                let v = ColumnKernels.map(try ColumnKernels.int64s(a[0]), a[0].validity, placeholder: Int64(0)) { t in
                    let (d, us) = DateMath.split(t); return field(d, us)
                }
                return Column(type: .bigint, data: .int64(v), validity: a[0].validity)
            }]
            // TIMESTAMPTZ: the field of the local time in the session zone (DuckDB's ICU extract).
            overloads.append(Overload([.timestampTZ], .bigint) { a, _, ctx in
                let t = try ColumnKernels.int64s(try TimeZoneFunctions.local(a[0], ctx.settings.timeZone))
                let v = ColumnKernels.map(t, a[0].validity, placeholder: Int64(0)) { t in
                    let (d, us) = DateMath.split(t); return field(d, us)
                }
                return Column(type: .bigint, data: .int64(v), validity: a[0].validity)
            })
            if !timeOnly {
                overloads.insert(Overload([.date], .bigint) { a, _, _ in
                    let v = ColumnKernels.map(try ColumnKernels.int32s(a[0]), a[0].validity, placeholder: Int64(0)) { field(Int64($0), 0) }
                    return Column(type: .bigint, data: .int64(v), validity: a[0].validity)
                }, at: 0)
            }
            defs.append(FunctionDefinition(name, overloads))
        }
        return defs
    }

    // MARK: Kernels

    /// Parses a unit column once per distinct value; invalid units are an error.
    static func units(_ c: Column) throws -> [Unit?] {
        let parsed = try StringColumnReader.mapValues(c, placeholder: Unit?.none) { Unit(text: String(decoding: $0, as: UTF8.self)) }
        for i in 0..<parsed.count where parsed[i] == nil && !c.isNull(i) {
            let r = try StringColumnReader(c)
            throw TarnError(.execution, "unknown date/time unit '\(r.string(i))' (expected second, minute, hour, day, week, month, quarter or year)")
        }
        return parsed
    }

    /// Applies `body` to (unit, timestamp µs); DATE inputs and results are converted at midnight.
    static func onTimestamps(_ a: [Column], _ n: Int, dateResult: Bool, _ body: (Unit, Int64) throws -> Int64) throws -> Column {
        let u = try units(a[0])
        let values: [Int64] = dateResult ? try ColumnKernels.int32s(a[1]).map { Int64($0) * DateMath.microsPerDay } : try ColumnKernels.int64s(a[1])
        let m = ColumnKernels.intersect(a[0].validity, a[1].validity)
        let rows = (0..<n).map { Int32($0) }
        let out = try ColumnKernels.map(rows, m, placeholder: Int64(0)) { i -> Int64 in
            guard let unit = u[Int(i)] else { return 0 }
            return try body(unit, values[Int(i)])
        }
        return try wrap(out, m, dateResult: dateResult)
    }

    static func wrap(_ micros: [Int64], _ m: [UInt8]?, dateResult: Bool) throws -> Column {
        guard dateResult else { return Column(type: .timestamp, data: .int64(micros), validity: m) }
        let days = try ColumnKernels.map(micros, m, placeholder: Int32(0)) { t in
            guard let d = Int32(exactly: DateMath.floorDiv(t, DateMath.microsPerDay)) else { throw TarnError(.execution, "date out of range") }
            return d
        }
        return Column(type: .date, data: .int32(days), validity: m)
    }

    static func truncate(_ t: Int64, _ unit: Unit) throws -> Int64 {
        let (days, _) = DateMath.split(t)
        switch unit {
        case .second, .minute, .hour, .day:
            let step = unit.micros ?? 1
            return DateMath.floorDiv(t, step) * step
        case .week: return (days - DateMath.dayOfWeek(days) + 1) * DateMath.microsPerDay
        case .month, .quarter, .year:
            let c = ValueFormatting.civil(fromDays: days)
            let month = unit == .year ? 1 : unit == .quarter ? (c.month - 1) / 3 * 3 + 1 : c.month
            return ValueFormatting.days(year: c.year, month: month, day: 1) * DateMath.microsPerDay
        }
    }

    static func dateAdd(_ a: [Column], _ n: Int, dateResult: Bool) throws -> Column {
        let u = try units(a[0])
        let amounts = try ColumnKernels.int64s(a[1])
        let values: [Int64] = dateResult ? try ColumnKernels.int32s(a[2]).map { Int64($0) * DateMath.microsPerDay } : try ColumnKernels.int64s(a[2])
        let m = ColumnKernels.intersect([a[0].validity, a[1].validity, a[2].validity])
        let overflow = TarnError(.execution, "date_add: result out of range")
        let rows = (0..<n).map { Int32($0) }
        let out = try ColumnKernels.map(rows, m, placeholder: Int64(0)) { r -> Int64 in
            let i = Int(r)
            guard let unit = u[i] else { return 0 }
            let t = values[i], amount = amounts[i]
            if dateResult, [.second, .minute, .hour].contains(unit) {
                throw TarnError(.execution, "date_add: cannot add \(unit.rawValue)s to a DATE")
            }
            if let step = unit.micros {
                let (delta, o1) = amount.multipliedReportingOverflow(by: step)
                let (result, o2) = t.addingReportingOverflow(delta)
                if o1 || o2 { throw overflow }
                return result
            }
            let months = amount.multipliedReportingOverflow(by: unit == .year ? 12 : unit == .quarter ? 3 : 1)
            guard !months.overflow, abs(months.partialValue) < 12 * 1_000_000 else { throw overflow }
            let (days, micros) = DateMath.split(t)
            return DateMath.addMonths(days, months.partialValue) * DateMath.microsPerDay + micros
        }
        return try wrap(out, m, dateResult: dateResult)
    }

    static func dateDiff(_ a: [Column], _ n: Int) throws -> Column {
        let u = try units(a[0])
        let isDate = a[1].type == .date
        let first: [Int64] = isDate ? try ColumnKernels.int32s(a[1]).map { Int64($0) * DateMath.microsPerDay } : try ColumnKernels.int64s(a[1])
        let second: [Int64] = isDate ? try ColumnKernels.int32s(a[2]).map { Int64($0) * DateMath.microsPerDay } : try ColumnKernels.int64s(a[2])
        let m = ColumnKernels.intersect([a[0].validity, a[1].validity, a[2].validity])
        let rows = (0..<n).map { Int32($0) }
        let out = try ColumnKernels.map(rows, m, placeholder: Int64(0)) { r -> Int64 in
            let i = Int(r)
            guard let unit = u[i] else { return 0 }
            if let step = unit.micros {
                let (d, o) = second[i].subtractingReportingOverflow(first[i])
                if o { throw TarnError(.execution, "date_diff: result out of range") }
                return d / step
            }
            let months = DateMath.monthsBetween(first[i], second[i])
            return unit == .year ? months / 12 : unit == .quarter ? months / 3 : months
        }
        return Column(type: .bigint, data: .int64(out), validity: m)
    }
}
