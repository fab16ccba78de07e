import Storage
import Execution

/// The output of a blocking transform: one computed result, handed out in `Batch.defaultSize` slices,
/// one per `next`. Shared by the operators that must see all their input before producing rows.
struct BatchReplay {
    private var batches: [Batch] = []
    private var position = 0

    /// Replaces what is handed out by `result`, cut into standard-size batches.
    mutating func load(_ result: Batch) {
        batches = []
        position = 0
        var offset = 0
        while offset < result.count {
            let end = min(result.count, offset + Batch.defaultSize)
            batches.append(result.slice(offset..<end))
            offset = end
        }
    }

    mutating func clear() {
        batches = []
        position = 0
    }

    /// The next slice, counted in the operator's statistics; nil when all were handed out.
    mutating func next(_ statistics: OperatorStatistics) -> Batch? {
        guard position < batches.count else { return nil }
        defer { position += 1 }
        statistics.add(rows: batches[position].count, nanos: 0)
        return batches[position]
    }
}
