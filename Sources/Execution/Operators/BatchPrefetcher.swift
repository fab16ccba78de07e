import Foundation
import Storage

/// Runs an operator (`open`, every `next`, `close`) on a thread of its own and hands its non-empty batches to the
/// consumer through a queue of at most `depth` batches: the consumer (e.g. COPY TO formatting text) works on one
/// core while the operator produces the next batches on the other. The operator's error (cancellation included)
/// is thrown by `next`. `finish()` stops the producer and waits for it: call it on every way out, so the
/// operator is closed (and its spill files removed) before the statement ends.
public final class BatchPrefetcher: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var queue: [Batch] = []
    private var head = 0
    private var producing = true
    private var stopRequested = false
    private var failure: Error?

    /// Starts producing `op`'s batches with `context` at once.
    public init(_ op: PhysicalOperator, _ context: ExecutionContext, depth: Int = 4) {
        self.depth = max(1, depth)
        let work = UncheckedSendable((op, context))
        let thread = Thread { [self] in self.produce(work.value.0, work.value.1) }
        thread.stackSize = 16 << 20
        thread.start()
    }

    private func produce(_ op: PhysicalOperator, _ context: ExecutionContext) {
        var error: Error?
        do {
            try op.open(context)
            defer { op.close() }
            while let batch = try op.next() {
                try context.progress.checkCancelled()
                guard batch.count > 0 else { continue }
                condition.lock()
                while queue.count - head >= depth, !stopRequested { condition.wait() }
                let stop = stopRequested
                if !stop {
                    if head > 0, head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
                    queue.append(batch)
                    condition.broadcast()
                }
                condition.unlock()
                if stop { break }
            }
        } catch let e {
            error = e
        }
        condition.lock()
        failure = error
        producing = false
        condition.broadcast()
        condition.unlock()
    }

    /// The operator's next non-empty batch, nil at its end; throws the operator's error.
    public func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count, producing, failure == nil { condition.wait() }
        if let failure { throw failure }
        guard head < queue.count else { return nil }
        let batch = queue[head]
        queue[head] = Batch(columns: [], count: 0)
        head += 1
        condition.broadcast()
        return batch
    }

    /// Stops the producer (after its current batch) and waits until it has closed the operator.
    public func finish() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        while producing { condition.wait() }
        queue = []
        head = 0
        condition.unlock()
    }
}
