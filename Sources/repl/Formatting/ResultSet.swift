import Storage

/// A result set as the formatters see it: typed columns and the batches holding their rows, pulled one at a time
/// (from a running query, or from batches already in memory). Single pass: a formatter reads it once, so a result of
/// any size is written in the memory of a few batches (see docs/SHELL.md, "Streaming output").
struct ResultSet {
    var columns: [Field]
    private let source: BatchSource

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

    /// The next batch (empty ones skipped), nil at the end.
    func nextBatch() throws -> Batch? {
        while let batch = try source.next() {
            if batch.count > 0 { return batch }
        }
        return nil
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
