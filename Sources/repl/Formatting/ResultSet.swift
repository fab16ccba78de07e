import Storage

/// A result set as the formatters see it: typed columns and the batches holding their rows, pulled one at a time
/// (from a running query, or from batches already in memory). Single pass: a formatter reads it once, so a result of
/// any size is written in the memory of a few batches (see docs/SHELL.md, "Streaming output").
struct ResultSet {
    var columns: [Field]
    private let source: BatchSource
    /// The session's time zone: TIMESTAMP WITH TIME ZONE cells are shown as local time there with the offset
    /// (`2024-03-10 13:00:00+01`), as DuckDB's shell shows them.
    var timeZone: TimeZoneRules = .utc

    /// A result already in memory.
    init(columns: [Field], batches: [Batch]) {
        self.columns = columns
        var remaining = batches[...]
        source = BatchSource { remaining.popFirst() }
    }

    /// A result produced while it is read: `next` returns the next batch, nil at the end.
    init(columns: [Field], next: @escaping () throws -> Batch?) {
        self.columns = columns
        source = BatchSource(next)
    }

    /// Rows a streamed result reads before anything is written (`lookingAhead`).
    static let lookAheadRows = 10_000

    /// A streamed result whose first `rows` rows (or all of them, if fewer) are read now: a statement that fails
    /// within them prints nothing, as when results were collected whole, so a script's output holds no half-written
    /// JSON array or CSV for the usual early errors; only a failure later in a long result leaves its rows written.
    static func lookingAhead(columns: [Field], rows: Int = lookAheadRows, next: @escaping () throws -> Batch?) throws -> ResultSet {
        var buffered: [Batch] = []
        var count = 0
        var finished = false
        while count < rows {
            guard let batch = try next() else { finished = true; break }
            buffered.append(batch)
            count += batch.count
        }
        var ahead = buffered[...]
        return ResultSet(columns: columns) {
            if let batch = ahead.popFirst() { return batch }
            return finished ? nil : try next()
        }
    }

    /// The next batch (empty ones skipped), nil at the end.
    func nextBatch() throws -> Batch? {
        while let batch = try source.next() {
            if batch.count > 0 { return shownInTimeZone(batch) }
        }
        return nil
    }

    /// `batch` with its TIMESTAMPTZ columns as their text in `timeZone` (the formatters print cells as text).
    private func shownInTimeZone(_ batch: Batch) -> Batch {
        guard batch.columns.contains(where: { $0.type == .timestampTZ }) else { return batch }
        return Batch(columns: batch.columns.map { column in
            guard column.type == .timestampTZ, case let .int64(values) = column.data else { return column }
            var text = StringArray()
            var zone = timeZone.cursor()
            text.reserve(strings: values.count, bytes: values.count * 22)
            for i in 0..<values.count {
                if column.isNull(i) { text.appendEmpty() } else { text.append(zone.format(values[i])) }
            }
            return Column(type: .varchar, data: .string(text), validity: column.validity)
        }, count: batch.count)
    }

    /// Calls `body` with every row, in order, one batch in memory at a time.
    func forEachRow(_ body: ([Value]) throws -> Void) throws {
        while let batch = try nextBatch() {
            for row in 0..<batch.count { try body(batch.columns.map { $0.value(at: row) }) }
        }
    }
}

/// The pull function behind a `ResultSet` (a class, so copies of the set share one position).
private final class BatchSource {
    let next: () throws -> Batch?
    init(_ next: @escaping () throws -> Batch?) { self.next = next }
}
