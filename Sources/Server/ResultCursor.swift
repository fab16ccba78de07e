import Execution
import Storage
import Tarn

/// The rows of one statement, read in slices: from a finished `StatementResult` or pulled from a
/// running `QueryStream`, so a query's result is never held whole in the server's memory.
final class ResultCursor {
    let columns: [Field]
    /// The running query's progress (for CancelRequest), nil for finished results.
    let progress: QueryProgress?
    private var batches: [Batch]
    private var index = 0
    private let stream: QueryStream?
    private var current: Batch?
    private var offset = 0

    init(result: StatementResult) {
        columns = result.columns
        batches = result.batches
        stream = nil
        progress = nil
    }

    init(stream: QueryStream, progress: QueryProgress) {
        columns = stream.columns
        batches = []
        self.stream = stream
        self.progress = progress
    }

    /// The next rows: a batch and a range of at most `limit` rows of it (0 = the rest of the batch); nil at the end.
    func next(limit: Int) throws -> (Batch, Range<Int>)? {
        while current == nil || offset >= (current?.count ?? 0) {
            current = try nextBatch()
            offset = 0
            if current == nil { return nil }
        }
        guard let batch = current else { return nil }
        let end = limit > 0 ? min(batch.count, offset + limit) : batch.count
        let range = offset..<end
        offset = end
        return (batch, range)
    }

    private func nextBatch() throws -> Batch? {
        if let stream { return try stream.next() }
        guard index < batches.count else { return nil }
        defer { batches[index] = Batch(columns: [], count: 0); index += 1 }
        return batches[index]
    }

    func close() {
        stream?.close()
        batches = []
        current = nil
    }
}
