import Foundation
import Storage

/// Reads a pipeline of a morsel source and per-batch stages (filters, projections; no hash joins) on `workers`
/// threads of its own, and hands its batches to one consumer in morsel order: the batches a single-threaded pull
/// of the pipeline gives, in the same order, with the reading (decompression, filters, projections) of the next
/// morsels done on the other cores meanwhile. At most `window` morsels are read ahead of the consumer.
/// The operator's error (cancellation included) is thrown by `next`; `finish()` stops the workers and waits for
/// them: call it on every way out.
final class OrderedMorselReader: @unchecked Sendable {
    private let source: MorselSource
    private let stages: [PipelineStage]
    private let context: ExecutionContext
    private let morselCount: Int
    private let window: Int
    private let condition = NSCondition()
    /// Read morsels not yet taken, by index (an empty batch when the morsel kept no rows).
    private var ready: [Int: Batch] = [:]
    private var nextClaim = 0
    private var nextTaken = 0
    private var running = 0
    private var stopRequested = false
    private var failure: Error?
    /// True when no thread was started: `next` reads the morsels itself.
    private let inline: Bool

    /// The reader of `op` on `workers` threads, or nil when `op` is not such a pipeline (or `workers` < 2).
    static func make(_ op: PhysicalOperator, _ context: ExecutionContext, workers: Int) throws -> OrderedMorselReader? {
        guard workers > 1, let pipeline = ParallelPipeline.decompose(op),
              !pipeline.stages.contains(where: { $0 is HashJoinOperator }) else { return nil }
        return try OrderedMorselReader(pipeline, context, workers: workers)
    }

    private init(_ pipeline: ParallelPipeline, _ context: ExecutionContext, workers: Int) throws {
        source = pipeline.source
        stages = pipeline.stages
        self.context = context
        morselCount = try pipeline.source.prepareMorsels(context)
        window = 2 * workers
        // One morsel (a small input, e.g. a VALUES list): read on the consumer's thread, no threads started.
        let threads = morselCount > 1 ? workers : 0
        inline = threads == 0
        running = threads
        for _ in 0 ..< threads {
            let thread = Thread { [self] in self.work() }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// A worker: claims the next morsel (at most `window` ahead of the consumer), reads it through the stages.
    private func work() {
        while true {
            condition.lock()
            while nextClaim >= nextTaken + window, !stopRequested, failure == nil { condition.wait() }
            guard !stopRequested, failure == nil, nextClaim < morselCount else {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = nextClaim
            nextClaim += 1
            condition.unlock()
            var result: Batch? = nil
            var error: Error? = nil
            do {
                result = try read(index)
            } catch let e {
                error = e
            }
            condition.lock()
            if let error, failure == nil { failure = error }
            if let result { ready[index] = result }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Morsel `index` through the stages.
    private func read(_ index: Int) throws -> Batch {
        try context.progress.checkCancelled()
        var batch = try source.readMorsel(index, context)
        for stage in stages where batch.count > 0 { batch = try stage.transform(batch, context) }
        return batch
    }

    /// The next non-empty batch in morsel order, nil at the end; throws the first worker's error.
    func next() throws -> Batch? {
        if inline {
            while nextTaken < morselCount {
                nextTaken += 1
                let batch = try read(nextTaken - 1)
                if batch.count > 0 { return batch }
            }
            return nil
        }
        condition.lock()
        defer { condition.unlock() }
        while nextTaken < morselCount {
            while ready[nextTaken] == nil, failure == nil { condition.wait() }
            if let failure { throw failure }
            let batch = ready.removeValue(forKey: nextTaken)
            nextTaken += 1
            condition.broadcast()
            if let batch, batch.count > 0 { return batch }
        }
        return nil
    }

    /// Stops the workers (after the morsels they are reading) and waits for them.
    func finish() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        ready = [:]
        condition.unlock()
    }
}
