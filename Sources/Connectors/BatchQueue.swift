import Foundation
import Storage

/// A bounded hand-off of batches from source reader threads to the operator's `next()`: producers block while
/// it is full (so memory stays at `capacity` batches), the consumer blocks while it is empty; the first error
/// wins; `cancel()` releases everyone (the query stopped reading early).
final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    /// At most `capacity` (a few) batches; a popped batch is removed at once, so the queue never keeps one alive.
    private var items: [Batch] = []
    private var producersLeft: Int
    private var error: Error?
    private(set) var cancelled = false
    let capacity: Int

    init(capacity: Int, producers: Int) {
        self.capacity = max(1, capacity)
        producersLeft = producers
    }

    /// False when the consumer has gone away (stop producing).
    func push(_ batch: Batch) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !cancelled && error == nil { condition.wait() }
        if cancelled || error != nil { return false }
        items.append(batch)
        condition.broadcast()
        return true
    }

    func fail(_ e: Error) {
        condition.lock(); defer { condition.unlock() }
        if error == nil { error = e }
        condition.broadcast()
    }

    func producerFinished() {
        condition.lock(); defer { condition.unlock() }
        producersLeft -= 1
        condition.broadcast()
    }

    var isCancelled: Bool { condition.lock(); defer { condition.unlock() }; return cancelled || error != nil }

    /// The next batch, nil when every producer has finished; rethrows a producer's error.
    func pop() throws -> Batch? {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let error { throw error }
            if !items.isEmpty {
                let b = items.removeFirst()
                condition.broadcast()
                return b
            }
            if producersLeft <= 0 { return nil }
            condition.wait()
        }
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        items.removeAll()
        condition.broadcast()
    }

    /// Waits until every producer has finished (after `cancel()` or the end).
    func waitForProducers() {
        condition.lock(); defer { condition.unlock() }
        while producersLeft > 0 { condition.wait() }
    }
}
