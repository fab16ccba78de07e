import Storage

/// TIMESTAMP WITH TIME ZONE functions: `AT TIME ZONE` (DuckDB's `timezone(zone, ts)`), Trino's `with_timezone`,
/// `at_timezone`, `timezone_hour`, `timezone_minute`, `current_timezone()`, `from_unixtime(x, zone)`, and the
/// TIMESTAMPTZ kernels of date_trunc / date_add / date_diff / field extraction, which work on the local time in the
/// session zone as DuckDB's do (`DateFunctions` lists them beside the TIMESTAMP ones).
///
/// A TIMESTAMPTZ is an instant without a zone of its own (as DuckDB's), so Trino's `at_timezone(tstz, zone)` keeps the
/// instant (it checks the zone name); its local time in that zone is `tstz AT TIME ZONE zone`.
enum TimeZoneFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("current_timezone", deterministic: false, [Overload([], .varchar) { _, n, ctx in
                ColumnKernels.constant(.varchar(ctx.settings.timeZone.name), type: .varchar, count: n)
            }]),
            // `x AT TIME ZONE zone` binds to timezone(zone, x), as in DuckDB and PostgreSQL.
            FunctionDefinition("timezone", [
                Overload([.varchar, .timestampTZ], .timestamp) { a, n, _ in try localTime(a[1], zones: a[0], n) },
                Overload([.varchar, .timestamp], .timestampTZ) { a, n, _ in try instant(a[1], zones: a[0], n) },
            ]),
            FunctionDefinition("with_timezone", [
                Overload([.timestamp, .varchar], .timestampTZ) { a, n, _ in try instant(a[0], zones: a[1], n) },
            ]),
            FunctionDefinition("at_timezone", [
                Overload([.timestampTZ, .varchar], .timestampTZ) { a, _, _ in
                    _ = try zoneColumn(a[1])  // the instant stays; the zone names must still exist
                    return Column(type: .timestampTZ, data: a[0].data, validity: ColumnKernels.intersect(a[0].validity, a[1].validity))
                },
            ]),
            FunctionDefinition("timezone_hour", [Overload([.timestampTZ], .bigint) { a, _, ctx in
                try offsetField(a[0], ctx.settings.timeZone) { $0 / 3600 }
            }]),
            FunctionDefinition("timezone_minute", [Overload([.timestampTZ], .bigint) { a, _, ctx in
                try offsetField(a[0], ctx.settings.timeZone) { $0 / 60 % 60 }
            }]),
        ]
    }

    // MARK: Zones of a VARCHAR argument

    /// The zone of every row of a VARCHAR column (nil for NULL rows); an unknown name is an error naming it. A
    /// dictionary column is looked up once per entry, a plain one once per run of equal names (no per-row allocation).
    static func zoneColumn(_ c: Column) throws -> [TimeZoneRules?] {
        if c.type == .null { return [TimeZoneRules?](repeating: nil, count: c.count) }
        let r = try StringColumnReader(c)
        func lookup(_ bytes: UnsafeBufferPointer<UInt8>) throws -> TimeZoneRules {
            try TimeZoneRules.require(String(decoding: bytes, as: UTF8.self))
        }
        if let codes = r.codes {
            let perEntry = try (0..<r.strings.count).map { e in try r.strings.withBytes(at: e) { try lookup($0) } }
            return (0..<r.count).map { r.isNull($0) ? nil : perEntry[Int(codes[$0])] }
        }
        var out = [TimeZoneRules?](repeating: nil, count: r.count)
        var previous = -1
        for i in 0..<r.count where !r.isNull(i) {
            if previous >= 0, r.strings.withBytes(at: i, { a in r.strings.withBytes(at: previous) { b in a.elementsEqual(b) } }) {
                out[i] = out[previous]
            } else {
                out[i] = try r.strings.withBytes(at: i) { try lookup($0) }
            }
            previous = i
        }
        return out
    }

    /// TIMESTAMPTZ → the local TIMESTAMP in each row's zone.
    static func localTime(_ values: Column, zones zoneNames: Column, _ n: Int) throws -> Column {
        try convert(values, zones: zoneNames, n, to: .timestamp) { zone, t in zone.localMicros(fromUTC: t) }
    }

    /// TIMESTAMP read as local time in each row's zone → TIMESTAMPTZ.
    static func instant(_ values: Column, zones zoneNames: Column, _ n: Int) throws -> Column {
        try convert(values, zones: zoneNames, n, to: .timestampTZ) { zone, t in zone.utcMicros(fromLocal: t) }
    }

    /// Each row's microseconds converted by `shift` in that row's zone; NULL where the value or the zone is.
    private static func convert(_ values: Column, zones zoneNames: Column, _ n: Int, to type: DataType,
                                _ shift: (TimeZoneRules, Int64) -> Int64) throws -> Column {
        let zones = try zoneColumn(zoneNames)
        let t = try ColumnKernels.int64s(values)
        let m = ColumnKernels.intersect(values.validity, zoneNames.validity)
        let v = ColumnKernels.map(Array(0..<n), m, placeholder: Int64(0)) { i in zones[i].map { shift($0, t[i]) } ?? 0 }
        return Column(type: type, data: .int64(v), validity: m)
    }

    static func offsetField(_ c: Column, _ zone: TimeZoneRules, _ part: (Int64) -> Int64) throws -> Column {
        let t = try ColumnKernels.int64s(c)
        var cursor = zone.cursor()
        let v = ColumnKernels.map(t, c.validity, placeholder: Int64(0)) { part(cursor.offsetSeconds(atUTCSeconds: DateMath.floorDiv($0, DateMath.microsPerSecond))) }
        return Column(type: .bigint, data: .int64(v), validity: c.validity)
    }

    // MARK: date_trunc / date_add / date_diff / fields on TIMESTAMPTZ (in the session zone)

    /// date_trunc(unit, tstz): whole days and longer truncate the local time and read it back in the zone (midnight
    /// after a DST change keeps its own offset); hours and shorter remove the local remainder from the instant, so
    /// the second 01:30 of a fall-back night truncates to the second 01:00.
    static func truncate(_ a: [Column], _ n: Int, _ zone: TimeZoneRules) throws -> Column {
        var cursor = zone.cursor()
        let out = try DateFunctions.onTimestamps(a, n, dateResult: false) { unit, t in
            let local = cursor.localMicros(fromUTC: t)
            let truncated = try DateFunctions.truncate(local, unit)
            switch unit {
            case .second, .minute, .hour: return t - (local - truncated)
            default: return cursor.utcMicros(fromLocal: truncated)
            }
        }
        return retyped(out, .timestampTZ)
    }

    /// date_add(unit, n, tstz): seconds, minutes and hours move the instant; days and longer move the local
    /// calendar date and keep the wall-clock time (DuckDB's ICU arithmetic).
    static func add(_ a: [Column], _ n: Int, _ zone: TimeZoneRules) throws -> Column {
        let u = try DateFunctions.units(a[0])
        let values = try ColumnKernels.int64s(a[2])
        let fixed = u.map { $0.map { [.second, .minute, .hour].contains($0) } ?? true }
        var cursor = zone.cursor()
        // Calendar units: add to the local time, then read it back.
        let local = Column(type: .timestamp, data: .int64(zip(values, fixed).map { $1 ? $0 : cursor.localMicros(fromUTC: $0) }), validity: a[2].validity)
        let moved = try ColumnKernels.int64s(try DateFunctions.dateAdd([a[0], a[1], local], n, dateResult: false))
        let m = ColumnKernels.intersect([a[0].validity, a[1].validity, a[2].validity])
        let v = ColumnKernels.map(Array(0..<n), m, placeholder: Int64(0)) { i in fixed[i] ? moved[i] : cursor.utcMicros(fromLocal: moved[i]) }
        return Column(type: .timestampTZ, data: .int64(v), validity: m)
    }

    /// date_diff(unit, a, b) on TIMESTAMPTZ: seconds to hours between the instants, days and longer between the local times.
    static func diff(_ a: [Column], _ n: Int, _ zone: TimeZoneRules) throws -> Column {
        let u = try DateFunctions.units(a[0])
        var cursor = zone.cursor()
        func local(_ c: Column) throws -> Column {
            let t = try ColumnKernels.int64s(c)
            let v = (0..<t.count).map { i -> Int64 in
                guard let unit = u[i], ![.second, .minute, .hour].contains(unit) else { return t[i] }
                return cursor.localMicros(fromUTC: t[i])
            }
            return Column(type: .timestamp, data: .int64(v), validity: c.validity)
        }
        return try DateFunctions.dateDiff([a[0], try local(a[1]), try local(a[2])], n)
    }

    /// A TIMESTAMPTZ column's local times in `zone`, as a TIMESTAMP column (for the field functions).
    static func local(_ c: Column, _ zone: TimeZoneRules) throws -> Column {
        let t = try ColumnKernels.int64s(c)
        var cursor = zone.cursor()
        return Column(type: .timestamp, data: .int64(ColumnKernels.map(t, c.validity, placeholder: Int64(0)) { cursor.localMicros(fromUTC: $0) }), validity: c.validity)
    }

    static func retyped(_ c: Column, _ type: DataType) -> Column { Column(type: type, data: c.data, validity: c.validity) }
}
