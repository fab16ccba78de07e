import Storage
import SQL
import Execution

/// `generate_series(start, stop[, step])` (inclusive) and `range(start, stop[, step])` (exclusive):
/// a BIGINT column produced batch by batch, so huge series stream in constant memory.
final class SeriesOperator: PhysicalOperator {
    let start: Int64, stop: Int64, step: Int64, inclusive: Bool
    private var nextValue: Int64 = 0
    private var done = false
    private var context: ExecutionContext?
    let statistics = OperatorStatistics()

    init(start: Int64, stop: Int64, step: Int64, inclusive: Bool) {
        self.start = start; self.stop = stop; self.step = step; self.inclusive = inclusive
    }

    var outputTypes: [DataType] { [.bigint] }
    var children: [PhysicalOperator] { [] }
    var explainLine: String { "Series \(start)..\(inclusive ? "=" : "<")\(stop) step \(step)" }

    func open(_ context: ExecutionContext) throws {
        self.context = context
        nextValue = start
        done = false
    }

    private func inRange(_ v: Int64) -> Bool {
        if step > 0 { return inclusive ? v <= stop : v < stop }
        return inclusive ? v >= stop : v > stop
    }

    func next() throws -> Batch? {
        try context?.progress.checkCancelled()
        if done || !inRange(nextValue) { return nil }
        var values: [Int64] = []
        values.reserveCapacity(Batch.defaultSize)
        var v = nextValue
        while values.count < Batch.defaultSize && inRange(v) {
            values.append(v)
            let (n, overflow) = v.addingReportingOverflow(step)
            if overflow { done = true; break }
            v = n
        }
        nextValue = v
        statistics.add(rows: values.count, nanos: 0)
        return Batch(columns: [Column(type: .bigint, data: .int64(values))], count: values.count)
    }

    func close() {}
}

/// `generate_series(DATE | TIMESTAMP start, stop, INTERVAL step)` (and `range`, without `stop`): dates or timestamps
/// from `start` by `step` (calendar months and years added as calendar months, clamped to the month's last day),
/// for calendar tables. Dates stay DATE when the step is whole days, weeks, months, quarters or years.
/// TIMESTAMP WITH TIME ZONE bounds step in the session zone, as DuckDB's: days and months keep the local wall-clock
/// time (across a DST change), fixed steps below a day move the instant.
final class TemporalSeriesOperator: PhysicalOperator {
    /// The step: calendar months plus a fixed number of microseconds (one of them is 0).
    struct Step: Sendable { var months: Int64; var micros: Int64 }
    let start: Int64, stop: Int64, step: Step, inclusive: Bool, producesDates: Bool
    /// The session zone when the bounds are TIMESTAMPTZ instants (nil: TIMESTAMP / DATE).
    var zone: TimeZoneRules?
    private var index: Int64 = 0
    private var done = false
    private var context: ExecutionContext?
    let statistics = OperatorStatistics()

    /// `start` / `stop` in microseconds since 1970 (dates at midnight).
    init(start: Int64, stop: Int64, step: Step, inclusive: Bool, producesDates: Bool) {
        self.start = start; self.stop = stop; self.step = step; self.inclusive = inclusive; self.producesDates = producesDates
    }

    var outputTypes: [DataType] { [producesDates ? .date : zone != nil ? .timestampTZ : .timestamp] }
    var children: [PhysicalOperator] { [] }
    var explainLine: String { "TemporalSeries step \(step.months) months \(step.micros) µs" }

    func open(_ context: ExecutionContext) throws {
        self.context = context
        index = 0
        done = false
    }

    /// The k-th value, or nil on overflow.
    private func value(_ k: Int64) -> Int64? {
        if let zone, step.months != 0 || step.micros % DateMath.microsPerDay == 0 {
            // Calendar steps on TIMESTAMPTZ: in local time, read back in the zone.
            return Self.stepped(zone.localMicros(fromUTC: start), k, step).map { zone.utcMicros(fromLocal: $0) }
        }
        return Self.stepped(start, k, step)
    }

    /// `start` plus `k` steps, or nil on overflow.
    private static func stepped(_ start: Int64, _ k: Int64, _ step: Step) -> Int64? {
        if step.months != 0 {
            let (months, overflow) = step.months.multipliedReportingOverflow(by: k)
            guard !overflow, abs(months) < 12 * 200_000 else { return nil }
            let day = start >= 0 ? start / DateMath.microsPerDay : (start - DateMath.microsPerDay + 1) / DateMath.microsPerDay
            let timeOfDay = start - day * DateMath.microsPerDay
            return DateMath.addMonths(day, months) * DateMath.microsPerDay + timeOfDay
        }
        let (offset, o1) = step.micros.multipliedReportingOverflow(by: k)
        let (v, o2) = start.addingReportingOverflow(offset)
        return o1 || o2 ? nil : v
    }

    private func inRange(_ v: Int64) -> Bool {
        let ascending = step.months > 0 || step.micros > 0
        if ascending { return inclusive ? v <= stop : v < stop }
        return inclusive ? v >= stop : v > stop
    }

    func next() throws -> Batch? {
        try context?.progress.checkCancelled()
        guard !done else { return nil }
        var values: [Int64] = []
        while values.count < Batch.defaultSize {
            guard let v = value(index), inRange(v) else { done = true; break }
            values.append(v)
            index += 1
        }
        guard !values.isEmpty else { return nil }
        statistics.add(rows: values.count, nanos: 0)
        let column = producesDates
            ? Column(type: .date, data: .int32(values.map { Int32(truncatingIfNeeded: $0 / DateMath.microsPerDay) }))
            : Column(type: zone != nil ? .timestampTZ : .timestamp, data: .int64(values))
        return Batch(columns: [column], count: values.count)
    }

    func close() {}
}

/// Binds the arguments of generate_series / range.
enum SeriesTableFunction {
    /// `generate_series(DATE | TIMESTAMP a, b, INTERVAL 'n' unit)`: the interval is read from the literal itself.
    static func buildTemporal(name: String, start: Value, stop: Value, step: (value: String, unit: String),
                              zone sessionZone: TimeZoneRules = .utc, at loc: SourceLocation) throws -> ([Field], OperatorFactory) {
        // A TIMESTAMPTZ bound makes the series TIMESTAMPTZ; the other bound, if DATE or TIMESTAMP, is local time in the zone.
        let zoned = start.dataType == .timestampTZ || stop.dataType == .timestampTZ
        func micros(_ v: Value) throws -> (Int64, isDate: Bool) {
            switch v {
            case let .date(d) where zoned: return (sessionZone.utcMicros(fromLocal: Int64(d) * DateMath.microsPerDay), false)
            case let .timestamp(t) where zoned: return (sessionZone.utcMicros(fromLocal: t), false)
            case let .timestampTZ(t): return (t, false)
            case let .date(d): return (Int64(d) * DateMath.microsPerDay, true)
            case let .timestamp(t): return (t, false)
            default: throw TarnError.semantic("\(name) with an INTERVAL step takes DATE or TIMESTAMP bounds, got \(v)", line: loc.line, column: loc.column)
            }
        }
        let (a, aIsDate) = try micros(start), (b, bIsDate) = try micros(stop)
        guard let amount = Int64(step.value) else {
            throw TarnError.semantic("\(name): the INTERVAL step must be a whole number of \(step.unit.lowercased())s, not '\(step.value)'",
                                     line: loc.line, column: loc.column)
        }
        let perUnit: [String: (months: Int64, micros: Int64)] = [
            "YEAR": (12, 0), "QUARTER": (3, 0), "MONTH": (1, 0), "WEEK": (0, 7 * DateMath.microsPerDay), "DAY": (0, DateMath.microsPerDay),
            "HOUR": (0, 3_600_000_000), "MINUTE": (0, 60_000_000), "SECOND": (0, 1_000_000), "MILLISECOND": (0, 1_000), "MICROSECOND": (0, 1),
        ]
        guard let unit = perUnit[step.unit] else { throw TarnError.semantic("\(name): unknown INTERVAL unit \(step.unit)", line: loc.line, column: loc.column) }
        let (months, o1) = unit.months.multipliedReportingOverflow(by: amount)
        let (stepMicros, o2) = unit.micros.multipliedReportingOverflow(by: amount)
        guard !o1, !o2, months != 0 || stepMicros != 0 else {
            throw TarnError.semantic("\(name) step cannot be 0", line: loc.line, column: loc.column)
        }
        let dates = aIsDate && bIsDate && stepMicros % DateMath.microsPerDay == 0
        let inclusive = name != "range"  // generate_series and Trino's sequence include stop
        let columnName = name
        let s = TemporalSeriesOperator.Step(months: months, micros: stepMicros)
        return ([Field(name: columnName, type: dates ? .date : zoned ? .timestampTZ : .timestamp)],
                OperatorFactory {
                    let series = TemporalSeriesOperator(start: a, stop: b, step: s, inclusive: inclusive, producesDates: dates)
                    series.zone = zoned ? sessionZone : nil
                    return series
                })
    }

    static func build(name: String, positional: [Value], named: [String: Value], at loc: SourceLocation) throws -> ([Field], OperatorFactory) {
        let nums = try positional.map { v -> Int64 in
            guard let n = v.int64Value else { throw TarnError.semantic("\(name) takes integer arguments, got \(v)", line: loc.line, column: loc.column) }
            return n
        }
        var start: Int64 = 0, stop: Int64, step: Int64 = 1
        switch nums.count {
        case 1: stop = nums[0]; if name != "range" { start = 1 }
        case 2: start = nums[0]; stop = nums[1]
        case 3: start = nums[0]; stop = nums[1]; step = nums[2]
        default: throw TarnError.semantic("\(name) takes 1 to 3 arguments", line: loc.line, column: loc.column)
        }
        if step == 0 { throw TarnError.semantic("\(name) step cannot be 0", line: loc.line, column: loc.column) }
        let inclusive = name != "range"  // generate_series and Trino's sequence include stop
        let columnName = name
        return ([Field(name: columnName, type: .bigint)], OperatorFactory { SeriesOperator(start: start, stop: stop, step: step, inclusive: inclusive) })
    }
}
